"""The coordinator links and unlinks partner chats, sees what is open, and hears of lost chats."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from reports.kinds import ActorKind, OutboxKind
from reports.records import Actor
from reports.workflow import CaseAction
from services.coordination import (
    LinkOutcome,
    NotCoordinatorChat,
    UnlinkOutcome,
    link_chat,
    open_reports,
    report_details,
    report_unreachable,
    unlink_partner,
)
from tests.services.coordinator_world import (
    COORDINATOR,
    FIRE,
    LINK_CODE,
    POLICE,
    START,
    world,
)

WIM = 521
KEES = Actor(ActorKind.CASEWORKER, user_id=501, name="Kees", partner_id="politie")


async def test_a_group_with_the_right_code_is_linked_to_its_partner(tmp_path: Path) -> None:
    async with world(tmp_path) as w:
        assert await link_chat(w.svc, FIRE, WIM, "brandweer", LINK_CODE) is LinkOutcome.LINKED
        assert (await w.svc.cases.links())["brandweer"] == FIRE
        report = await w.report("brandgevaar")
        [lead] = await w.queued(OutboxKind.NOTIFICATION_LEAD)
        assert report.lead_partner == "brandweer" and lead.chat_id == FIRE


async def test_a_wrong_code_links_nothing(tmp_path: Path) -> None:
    async with world(tmp_path) as w:
        for code in ("verkeerde-code", LINK_CODE[:-1], LINK_CODE + "x", ""):
            outcome = await link_chat(w.svc, FIRE, WIM, "brandweer", code)
            assert outcome is LinkOutcome.BAD_CODE
        assert await w.svc.cases.links() == {}


async def test_linking_is_off_without_a_link_code_and_an_unknown_partner_is_refused(
    tmp_path: Path,
) -> None:
    async with world(tmp_path / "off", link_code=None) as w:
        outcome = await link_chat(w.svc, FIRE, WIM, "brandweer", LINK_CODE)
        assert outcome is LinkOutcome.DISABLED
        assert await w.svc.cases.links() == {}
    async with world(tmp_path / "on") as w:
        outcome = await link_chat(w.svc, FIRE, WIM, "brandwacht", LINK_CODE)
        assert outcome is LinkOutcome.UNKNOWN_PARTNER
        assert await w.svc.cases.links() == {}


async def test_only_the_coordinator_chat_unlinks_a_partner(tmp_path: Path) -> None:
    async with world(tmp_path) as w:
        await link_chat(w.svc, FIRE, WIM, "brandweer", LINK_CODE)
        for chat in (FIRE, POLICE, WIM):
            with pytest.raises(NotCoordinatorChat):
                await unlink_partner(w.svc, chat, "brandweer")
        assert await w.svc.cases.links() == {"brandweer": FIRE}
        outcome = await unlink_partner(w.svc, COORDINATOR, "brandwacht")
        assert outcome is UnlinkOutcome.UNKNOWN_PARTNER
        assert await unlink_partner(w.svc, COORDINATOR, "brandweer") is UnlinkOutcome.UNLINKED
        assert await w.svc.cases.links() == {}
        assert await unlink_partner(w.svc, COORDINATOR, "brandweer") is UnlinkOutcome.NOT_LINKED


async def test_open_reports_come_per_partner_in_configuration_order_oldest_first(
    tmp_path: Path,
) -> None:
    async with world(tmp_path) as w:
        noise = await w.report("geluidsoverlast")  # handhaving
        w.advance(timedelta(minutes=5))
        youth = await w.report("jongerenoverlast")  # politie
        w.advance(timedelta(minutes=5))
        handed_back = await w.report("jongerenoverlast")  # politie, then "not ours"
        w.advance(timedelta(minutes=5))
        other = await w.report("overig")  # coordinator
        w.advance(timedelta(minutes=5))
        done = await w.report("jongerenoverlast")
        w.advance(timedelta(minutes=5))
        later_youth = await w.report("jongerenoverlast")
        async with w.svc.uow() as work:
            await work.cases.act(handed_back.id, CaseAction.NOT_OURS, KEES, w.clock.now())
            await work.cases.act(done.id, CaseAction.RESOLVE, KEES, w.clock.now())
        w.advance(timedelta(hours=2))
        overview = await open_reports(w.svc, COORDINATOR)
        assert overview.at == w.clock.now() and overview.count == 5
        listed = [
            (group.partner_id, [report.reference async for report in overview.reports(group)])
            for group in overview.partners
        ]
        assert [group.count for group in overview.partners] == [2, 1, 2]
        assert listed == [
            ("politie", [youth.reference, later_youth.reference]),
            ("handhaving", [noise.reference]),
            ("coordinator", [handed_back.reference, other.reference]),
        ]


async def test_the_overview_is_only_for_the_coordinator_chat(tmp_path: Path) -> None:
    async with world(tmp_path) as w:
        report = await w.report()
        for chat in (POLICE, FIRE, 7001):
            with pytest.raises(NotCoordinatorChat):
                await open_reports(w.svc, chat)
            with pytest.raises(NotCoordinatorChat):
                await report_details(w.svc, chat, report.reference)


async def test_a_coordinator_chat_linked_by_code_gets_the_overview(tmp_path: Path) -> None:
    async with world(tmp_path, overrides="") as w:
        with pytest.raises(NotCoordinatorChat):
            await open_reports(w.svc, COORDINATOR)
        await link_chat(w.svc, COORDINATOR, WIM, "coordinator", LINK_CODE)
        assert (await open_reports(w.svc, COORDINATOR)).partners == ()


async def test_report_details_hold_the_report_and_its_audit_trail(tmp_path: Path) -> None:
    async with world(tmp_path) as w:
        report = await w.report()
        async with w.svc.uow() as work:
            await work.cases.act(report.id, CaseAction.CLAIM, KEES, w.clock.now())
        case = await report_details(w.svc, COORDINATOR, report.reference)
        assert case is not None and case.report.id == report.id
        assert [event.action for event in case.events] == ["route", "claim"]
        assert await report_details(w.svc, COORDINATOR, "ENS-2099-9999") is None
        assert await report_details(w.svc, COORDINATOR, "") is None


async def test_an_unreachable_partner_chat_is_reported_to_the_coordinator_once_a_day(
    tmp_path: Path,
) -> None:
    async with world(tmp_path) as w:
        reason = "Forbidden: bot was kicked from the group chat"
        assert await report_unreachable(w.svc, POLICE, reason) is True
        w.advance(timedelta(hours=3))
        assert await report_unreachable(w.svc, POLICE, reason) is False
        assert await report_unreachable(w.svc, FIRE, reason) is True
        [first, second] = await w.queued(OutboxKind.UNREACHABLE)
        assert first.chat_id == second.chat_id == COORDINATOR
        assert str(POLICE) in first.text and reason in first.text
        assert first.dedupe_key == f"unreachable:{POLICE}:{START:%Y-%m-%d}"
        w.advance(timedelta(days=1))
        assert await report_unreachable(w.svc, POLICE, reason) is True
        assert len(await w.queued(OutboxKind.UNREACHABLE)) == 3


async def test_a_resident_or_the_coordinator_chat_itself_is_not_reported(tmp_path: Path) -> None:
    async with world(tmp_path) as w:
        assert await report_unreachable(w.svc, 7001, "Forbidden: bot was blocked") is False
        assert await report_unreachable(w.svc, COORDINATOR, "Forbidden: kicked") is False
        assert await w.queued(OutboxKind.UNREACHABLE) == []
    async with world(tmp_path / "unlinked", overrides="") as w:
        assert await report_unreachable(w.svc, POLICE, "Forbidden: kicked") is False
        assert await w.queued(OutboxKind.UNREACHABLE) == []
