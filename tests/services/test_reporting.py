"""Submitting a report is one unit of work: stored, routed, notified and scheduled together."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from handlers.messages import TelegramMessages
from reports.models import Language, Report, ReportStatus, StaleDraftError
from services.container import Services
from services.ports import Badge, Rendered, Reporter
from services.reporting import submit_report
from storage.database import Database
from storage.outbox import OutboxRepository, OutboxRow, Priority
from tests.services.conftest import START, Bell, complete_draft


async def rows(database: Database) -> list[OutboxRow]:
    """Return every outbox row, oldest first."""
    async with database.read() as session:
        ids = [r["id"] for r in await session.fetch_all("SELECT id FROM outbox ORDER BY id")]
    found = [await OutboxRepository(database).get(row_id) for row_id in ids]
    return [row for row in found if row is not None]


async def test_a_submitted_report_is_routed_notified_and_scheduled_in_one_go(
    svc: Services, database: Database, bell: Bell
) -> None:
    draft = complete_draft(category="jongerenoverlast")
    await svc.drafts.save(draft)

    report = await submit_report(svc, draft, None)

    assert report.reference == "ENS-2026-0001"
    assert (report.status, report.lead_partner) == (ReportStatus.ROUTED, "politie")
    assert report.due_at is not None and report.due_at > START
    kinds = {(row.kind, row.chat_id) for row in await rows(database)}
    assert kinds == {
        ("resident.confirmation", 501),
        ("notification.lead", -1001),
        ("notification.inform", -1000),  # handhaving has no chat: the coordinator stands in
        ("followup.question", 501),
        ("tip.report", 501),
        ("panel.offer", 501),  # once ever: this resident's first report
    }
    assert bell.rings == 1
    assert await svc.drafts.get(501) is None


async def test_the_reference_is_queued_first_as_a_reply_in_the_reports_own_transaction(
    svc: Services, database: Database
) -> None:
    draft = complete_draft()
    await svc.drafts.save(draft)
    report = await submit_report(svc, draft, None)

    first = (await rows(database))[0]
    assert (first.kind, first.chat_id, first.report_id) == ("resident.confirmation", 501, report.id)
    assert report.reference in first.params["text"]
    assert first.priority == Priority.REPLY


async def test_the_lead_gets_buttons_and_the_informed_copy_says_whose_it_is(
    svc: Services, database: Database
) -> None:
    draft = complete_draft(category="jongerenoverlast")
    await svc.drafts.save(draft)
    await submit_report(svc, draft, None)

    by_kind = {row.kind: row for row in await rows(database)}
    lead, informed = by_kind["notification.lead"], by_kind["notification.inform"]
    assert "reply_markup" in lead.params
    assert "reply_markup" not in informed.params
    assert "Handhaving" in informed.params["text"] and "Ter informatie" in informed.params["text"]


async def test_the_first_follow_up_and_the_tip_wait_for_their_delays(
    svc: Services, database: Database
) -> None:
    draft = complete_draft()
    await svc.drafts.save(draft)
    await submit_report(svc, draft, None)

    by_kind = {row.kind: row for row in await rows(database)}
    assert by_kind["followup.question"].due_at >= START + timedelta(days=3)
    assert by_kind["tip.report"].due_at >= START + timedelta(hours=2)


async def test_a_reporter_who_agreed_is_named_to_the_partner_and_one_who_did_not_is_not(
    svc: Services, database: Database
) -> None:
    named = complete_draft(user_id=601, category="jongerenoverlast", contact=True)
    hidden = complete_draft(user_id=602, category="jongerenoverlast")
    for draft in (named, hidden):
        await svc.drafts.save(draft)
    await submit_report(svc, named, Reporter(601, "Anna", "anna_e"))
    await submit_report(svc, hidden, None)

    leads = [row for row in await rows(database) if row.kind == "notification.lead"]
    assert "tg://user?id=601" in leads[0].params["text"]
    assert "tg://user?id=" not in leads[1].params["text"]


async def test_a_draft_sent_twice_makes_one_report(svc: Services, database: Database) -> None:
    draft = complete_draft()
    await svc.drafts.save(draft)
    await submit_report(svc, draft, None)

    with pytest.raises(StaleDraftError):
        await submit_report(svc, draft, None)

    assert await svc.reports.count() == 1


class BrokenMessages(TelegramMessages):
    """Render like the bot, but fail on the partner notification."""

    def notification(
        self, report: Report, badge: Badge, reporter: Reporter | None, language: Language
    ) -> Rendered:
        """Fail, as a bug in rendering would."""
        raise RuntimeError("rendering failed")


async def test_a_failure_while_routing_stores_nothing_and_keeps_the_draft(
    svc: Services, database: Database, bell: Bell
) -> None:
    broken = replace(svc, messages=BrokenMessages(svc.config))
    draft = complete_draft()
    await svc.drafts.save(draft)

    with pytest.raises(RuntimeError):
        await submit_report(broken, draft, None)

    assert await svc.reports.count() == 0
    assert await rows(database) == []
    assert await svc.drafts.get(501) is not None
    assert bell.rings == 0
