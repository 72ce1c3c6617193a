"""A report no partner group can take is held, told truthfully, and passed on once linked."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from reports.kinds import CaseNote, OutboxKind
from reports.models import ReportStatus
from services.casework import Casework, Caseworker, Forwarded
from services.coordination import LinkOutcome, link_chat
from services.readiness import check_readiness, readiness
from services.residents import my_reports
from tests.services.coordinator_world import (
    COORDINATOR,
    FIRE,
    LINK_CODE,
    POLICE,
    World,
    world,
)

WIM = 521
PASSED_ON = "is nu doorgestuurd"


async def steps(w: World, report_id: int) -> list[str]:
    """Return the audit trail's actions of a report."""
    return [event.action for event in await w.svc.cases.events(report_id)]


async def test_with_no_group_linked_a_report_is_held_and_the_resident_hears_the_truth(
    tmp_path: Path,
) -> None:
    async with world(tmp_path, overrides="") as w:
        report = await w.report("jongerenoverlast")
        assert report.status is ReportStatus.NEW and report.lead_partner == "politie"
        [confirmation] = await w.queued(OutboxKind.CONFIRMATION)
        assert report.reference in confirmation.text
        assert "doorgestuurd zodra het team is aangesloten" in confirmation.text
        assert "Ze gaat naar de partner die erover gaat" not in confirmation.text
        assert await w.queued(OutboxKind.NOTIFICATION_LEAD) == []
        assert await w.queued(OutboxKind.NOTIFICATION_INFORM) == []
        assert await steps(w, report.id) == [CaseNote.HELD]
        [listed] = await my_reports(w.svc, 7001)
        assert listed.status is ReportStatus.NEW


async def test_linking_a_group_passes_on_the_held_reports_it_can_take_oldest_first(
    tmp_path: Path,
) -> None:
    async with world(tmp_path, overrides="") as w:
        youth = await w.report("jongerenoverlast", user_id=7001)  # lead: politie
        w.advance(timedelta(minutes=5))
        fire = await w.report("brandgevaar", user_id=7002)  # lead: brandweer
        w.advance(timedelta(minutes=5))
        other = await w.report("overig", user_id=7003)  # lead: the coordinator
        w.advance(timedelta(hours=1))

        assert await link_chat(w.svc, POLICE, WIM, "politie", LINK_CODE) is LinkOutcome.LINKED
        [lead] = await w.queued(OutboxKind.NOTIFICATION_LEAD)
        assert lead.chat_id == POLICE and youth.reference in lead.text
        assert await w.queued(OutboxKind.NOTIFICATION_INFORM) == [], "handhaving has no chat"
        passed = await w.stored(youth)
        assert passed.status is ReportStatus.ROUTED and passed.due_at is not None
        assert passed.due_at > w.clock.now(), "the response target runs from the hand-over"
        assert await steps(w, youth.id) == [
            CaseNote.HELD,
            CaseNote.RELEASED,
            "route",
            CaseNote.UNDELIVERABLE,
        ]
        [told] = await w.queued(OutboxKind.RESIDENT_UPDATE)
        assert told.chat_id == 7001 and PASSED_ON in told.text and youth.reference in told.text
        assert (await w.stored(fire)).status is ReportStatus.NEW

        outcome = await link_chat(w.svc, COORDINATOR, WIM + 1, "coordinator", LINK_CODE)
        assert outcome is LinkOutcome.LINKED
        leads = await w.queued(OutboxKind.NOTIFICATION_LEAD)
        assert [row.chat_id for row in leads] == [POLICE, COORDINATOR, COORDINATOR]
        assert fire.reference in leads[1].text and other.reference in leads[2].text
        assert "Brandweer" in leads[1].text, "the coordinator stands in for the fire brigade"
        told_now = await w.queued(OutboxKind.RESIDENT_UPDATE)
        assert [row.chat_id for row in told_now] == [7001, 7002, 7003]
        assert [r.status for r in await my_reports(w.svc, 7002)] == [ReportStatus.ROUTED]

        assert await link_chat(w.svc, POLICE, WIM, "politie", LINK_CODE) is LinkOutcome.LINKED
        assert len(await w.queued(OutboxKind.NOTIFICATION_LEAD)) == 3, "nothing goes twice"


async def test_start_up_passes_on_what_a_newly_configured_chat_can_take(tmp_path: Path) -> None:
    async with world(tmp_path, overrides="") as w:
        report = await w.report("overig")
        found = await check_readiness(w.svc)
        assert not found.ready and await w.queued(OutboxKind.NOTIFICATION_LEAD) == []
    async with world(tmp_path, overrides=f"[partners.coordinator]\nchat_id = {COORDINATOR}\n") as w:
        found = await check_readiness(w.svc)
        assert found.coordinator.ready and not found.ready
        [lead] = await w.queued(OutboxKind.NOTIFICATION_LEAD)
        assert lead.chat_id == COORDINATOR and report.reference in lead.text
        assert (await w.stored(report)).status is ReportStatus.ROUTED


async def test_readiness_names_every_group_that_is_not_linked(tmp_path: Path) -> None:
    async with world(tmp_path, overrides=f"[partners.politie]\nchat_id = {POLICE}\n") as w:
        config = w.svc.config
        alone = readiness(config, {})
        assert alone.describe()["partners"]["politie"] == "ready"
        assert alone.describe()["partners"]["ggd"] == "not ready, because no group is linked"
        assert alone.coordinator.line() == "not ready, because no group is linked"
        assert alone.verdict().startswith("not ready, because no group is linked for handhaving")
        assert "the coordinator group is not linked" in alone.verdict()
        assert "held until a group is linked" in alone.verdict()
        with_coordinator = readiness(config, {"coordinator": COORDINATOR})
        assert "coordinator group is not linked" not in with_coordinator.verdict()
        assert "go to the coordinator group" in with_coordinator.verdict()
        everyone = {partner.id: -2000 - n for n, partner in enumerate(config.partners)}
        assert readiness(config, everyone).verdict() == "ready"


async def test_a_forward_to_a_partner_without_any_chat_is_held_not_announced(
    tmp_path: Path,
) -> None:
    async with world(tmp_path, overrides=f"[partners.politie]\nchat_id = {POLICE}\n") as w:
        report = await w.report("jongerenoverlast")
        await w.deliver(OutboxKind.NOTIFICATION_LEAD, message_id=77)
        kees = Casework(w.svc, Caseworker(501, "Kees", POLICE))
        assert isinstance(await kees.forward(report.id, 77, "brandweer"), Forwarded)
        assert await w.queued(OutboxKind.RESIDENT_UPDATE) == [], "nothing was forwarded yet"
        assert (await steps(w, report.id))[-1] == CaseNote.HELD
        [listed] = await my_reports(w.svc, 7001)
        assert listed.status is ReportStatus.NEW
        assert await link_chat(w.svc, FIRE, WIM, "brandweer", LINK_CODE) is LinkOutcome.LINKED
        leads = await w.queued(OutboxKind.NOTIFICATION_LEAD)
        assert [row.chat_id for row in leads] == [POLICE, FIRE]
        [told] = await w.queued(OutboxKind.RESIDENT_UPDATE)
        assert PASSED_ON in told.text
        [listed] = await my_reports(w.svc, 7001)
        assert listed.status is ReportStatus.ROUTED and listed.lead_partner == "brandweer"
