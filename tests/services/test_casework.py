"""Caseworkers claim, resolve, forward, ask and hand back reports; outsiders change nothing."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from config.municipality import MunicipalityConfig
from reports.clock import ManualClock
from reports.kinds import OutboxKind
from reports.locating import LocationResolver
from reports.models import Report, ReportStatus
from reports.records import SYSTEM
from services.casework import (
    Casework,
    Caseworker,
    Conflict,
    Done,
    Forwarded,
    Purpose,
    Refusal,
    Refused,
    TextFor,
    TextWanted,
)
from services.casework_texts import (
    MAX_CASEWORKER_TEXT,
    Asked,
    CaseworkTexts,
    TooLong,
    relay_answer,
)
from services.container import Services
from services.reporting import submit_report
from storage.database import Database
from storage.timestamps import from_text
from tests.services.builders import configured, resolver_for, services_on
from tests.storage.builders import complete_draft

POLICE, ENFORCEMENT, COORDINATOR = -1001, -1002, -1009
KEES, LOTTE, OTTO, BAS, CORA = 501, 502, 503, 511, 509
RESIDENT = 1201
MONDAY = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
OVERRIDES = (
    f"[partners.politie]\nchat_id = {POLICE}\ncaseworkers = [{KEES}, {LOTTE}]\n"
    f"[partners.handhaving]\nchat_id = {ENFORCEMENT}\n"
    f"[partners.coordinator]\nchat_id = {COORDINATOR}\n"
    '[geocoder]\nprovider = "none"\n'
)


@dataclass
class World:
    """Services on a real SQLite file, with a clock that moves only when told to."""

    svc: Services
    db: Database
    clock: ManualClock
    wakes: list[datetime]

    def caseworker(self, user_id: int, name: str, chat_id: int) -> Casework:
        """Return the button use cases of a person in a chat."""
        return Casework(self.svc, Caseworker(user_id, name, chat_id))

    def typing(self, user_id: int, name: str, chat_id: int) -> CaseworkTexts:
        """Return the typed-text use cases of a person in a chat."""
        return CaseworkTexts(self.svc, Caseworker(user_id, name, chat_id))

    async def report(self) -> Report:
        """Submit a youth nuisance report (police leads, enforcement is informed)."""
        draft = complete_draft(RESIDENT, at=self.clock.now())
        draft.category_id = "jongerenoverlast"
        await self.svc.drafts.save(draft)
        report = await submit_report(self.svc, draft, None)
        assert report.lead_partner == "politie"
        return report

    async def current(self, report: Report) -> Report:
        """Return the report as it is stored now."""
        stored = await self.svc.cases.get(report.id)
        assert stored is not None
        return stored

    async def rows(self, report: Report, chat_id: int | None = None) -> list[dict[str, Any]]:
        """Return the report's outbox rows (to one chat), oldest first, params decoded."""
        async with self.db.read() as session:
            found = await session.fetch_all(
                "SELECT id, chat_id, method, params, kind, status, due_at, dedupe_key"
                " FROM outbox WHERE report_id = ? ORDER BY id",
                (report.id,),
            )
        rows = [dict(row) | {"params": json.loads(row["params"])} for row in found]
        return [row for row in rows if chat_id is None or row["chat_id"] == chat_id]

    async def news(self, report: Report) -> list[str]:
        """Return the texts queued for the resident about the handling of their report."""
        rows = await self.rows(report, RESIDENT)
        return [r["params"]["text"] for r in rows if r["kind"] == OutboxKind.RESIDENT_UPDATE]

    async def dispatch(self) -> None:
        """Send every row that is due, one per chat at a time, as the dispatcher does."""
        outbox, now = self.svc.outbox, self.clock.now()
        while claimed := await outbox.claim_due(now, 100):
            for row in claimed:
                assert await outbox.mark_sent(row.id, 7000 + row.id, now)

    async def deliver(self, report: Report, chat_id: int) -> int:
        """Send what is due; return the message id of the report's notification in a chat."""
        await self.dispatch()
        kinds = {OutboxKind.NOTIFICATION_LEAD, OutboxKind.NOTIFICATION_INFORM}
        rows = [r for r in await self.rows(report, chat_id) if r["kind"] in kinds]
        return 7000 + int(rows[-1]["id"])


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> MunicipalityConfig:
    """Load the shipped configuration with linked police, enforcement and coordinator chats."""
    return configured(tmp_path_factory.mktemp("config"), OVERRIDES)


@pytest.fixture(scope="module")
def resolver(config: MunicipalityConfig) -> LocationResolver:
    """Load the neighbourhood map once for the module."""
    return resolver_for(config)


@pytest.fixture
async def world(
    tmp_path: Path, config: MunicipalityConfig, resolver: LocationResolver
) -> AsyncIterator[World]:
    """Build the services like the composition root does, without Telegram."""
    clock = ManualClock(MONDAY)
    wakes: list[datetime] = []
    path = tmp_path / "meldbot.sqlite3"
    wake = lambda: wakes.append(clock.now())  # noqa: E731
    async with services_on(path, config, clock, locations=resolver, wake=wake) as (svc, db):
        yield World(svc, db, clock, wakes)


async def test_a_second_claim_loses_and_changes_nothing(world: World) -> None:
    report = await world.report()
    lead = await world.deliver(report, POLICE)
    kees = world.caseworker(KEES, "Kees", POLICE)
    lotte = world.caseworker(LOTTE, "Lotte", POLICE)
    outcomes = await asyncio.gather(kees.claim(report.id, lead), lotte.claim(report.id, lead))
    done = [o for o in outcomes if isinstance(o, Done)]
    lost = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(done) == 1 and len(lost) == 1
    assert lost[0].claimed_by_other
    claimed = await world.current(report)
    assert claimed.status is ReportStatus.IN_PROGRESS
    assert claimed.claimed_by == done[0].report.claimed_by
    assert lost[0].report.claimed_by_name == claimed.claimed_by_name
    told = [text for text in await world.news(report) if "is opgepakt door" in text]
    assert len(told) == 1 and "Politie" in told[0]
    claims = [e for e in await world.svc.cases.events(report.id) if e.action == "claim"]
    assert len(claims) == 1


async def test_resolving_queues_the_residents_message_and_the_survey_in_one_go(
    world: World,
) -> None:
    report = await world.report()
    lead = await world.deliver(report, POLICE)
    world.clock.advance(timedelta(hours=1))
    wakes_before = len(world.wakes)
    outcome = await world.caseworker(KEES, "Kees", POLICE).resolve(report.id, lead, "gesprek")
    assert isinstance(outcome, Done)
    resolved = await world.current(report)
    assert resolved.status is ReportStatus.RESOLVED
    assert resolved.claimed_by == KEES and resolved.claimed_by_name == "Kees"
    assert resolved.closing_text is not None and "betrokkenen gesproken" in resolved.closing_text
    news = [text for text in await world.news(report) if "is afgehandeld" in text]
    assert len(news) == 1 and "met de betrokkenen gesproken" in news[0]
    rows = await world.rows(report, RESIDENT)
    surveys = [r for r in rows if r["kind"] == "survey.question"]
    assert len(surveys) == 1 and surveys[0]["dedupe_key"] == f"survey:{report.id}"
    assert from_text(surveys[0]["due_at"]) >= world.clock.now() + timedelta(days=1)
    followups = [r for r in rows if r["kind"] == "followup.question"]
    assert followups and all(r["status"] == "cancelled" for r in followups)
    assert len(world.wakes) == wakes_before + 1, "one commit wakes the dispatcher once"


async def test_a_reason_is_asked_for_a_closing_text_that_needs_one_and_goes_with_it(
    world: World,
) -> None:
    report = await world.report()
    lead = await world.deliver(report, POLICE)
    kees = world.caseworker(KEES, "Kees", POLICE)
    wanted = await kees.resolve(report.id, lead, "geen-actie-mogelijk")
    assert wanted == TextWanted(
        await world.current(report), Purpose(TextFor.RESOLVE, "geen-actie-mogelijk")
    )
    typing = world.typing(KEES, "Kees", POLICE)
    await typing.record_prompt(report.id, wanted.purpose, message_id=8001)
    outcome = await typing.take_text(8001, "Het gaat om privéterrein <tuin>.")
    assert isinstance(outcome, Done) and outcome.notifications == (lead,)
    closing = (await world.current(report)).closing_text or ""
    assert closing.startswith("We kunnen hier helaas niets mee")
    assert closing.endswith("\nHet gaat om privéterrein <tuin>.")
    news = [t for t in await world.news(report) if "is afgehandeld" in t]
    assert len(news) == 1 and "privéterrein &lt;tuin&gt;" in news[0]


async def test_forwarding_recomputes_the_deadline_resets_the_claim_and_notifies_the_new_lead(
    world: World,
) -> None:
    report = await world.report()
    lead = await world.deliver(report, POLICE)
    kees = world.caseworker(KEES, "Kees", POLICE)
    assert isinstance(await kees.claim(report.id, lead), Done)
    world.clock.advance(timedelta(days=1, hours=3))
    async with world.svc.uow() as work:
        await work.cases.note(
            report.id, SYSTEM, "reminder", world.clock.now(), changes={"reminded_at": MONDAY}
        )
    notifications_before = len(await world.rows(report, ENFORCEMENT))
    outcome = await kees.forward(report.id, lead, "handhaving")
    assert isinstance(outcome, Forwarded) and outcome.to == "handhaving"
    assert outcome.before.lead_partner == "politie"
    forwarded = await world.current(report)
    assert forwarded.status is ReportStatus.ROUTED and forwarded.lead_partner == "handhaving"
    assert forwarded.claimed_by is None and forwarded.claimed_by_name is None
    assert forwarded.claimed_at is None and forwarded.reminded_at is None
    config = world.svc.config
    target = config.partner("handhaving")
    assert target is not None
    expected = config.working_calendar().deadline(
        world.clock.now(), target.response_target(report.category_id)
    )
    assert forwarded.due_at == expected and expected != report.due_at
    fresh = (await world.rows(report, ENFORCEMENT))[notifications_before:]
    leads = [r for r in fresh if r["kind"] == "notification.lead"]
    assert len(leads) == 1
    assert "Doorgezet" in leads[0]["params"]["text"] and "Politie" in leads[0]["params"]["text"]
    assert "reply_markup" in leads[0]["params"], "the new lead gets the buttons"
    told = [t for t in await world.news(report) if "is doorgezet naar" in t]
    assert len(told) == 1 and "Handhaving" in told[0]
    again = await kees.forward(report.id, lead, "handhaving")
    assert again == Refused(Refusal.NOT_HERE), "the police chat no longer acts on it"


async def test_not_ours_goes_back_to_the_coordinator_with_the_reason(world: World) -> None:
    report = await world.report()
    lead = await world.deliver(report, POLICE)
    lotte = world.caseworker(LOTTE, "Lotte", POLICE)
    wanted = await lotte.want_text(report.id, lead, Purpose(TextFor.NOT_OURS))
    assert isinstance(wanted, TextWanted)
    typing = world.typing(LOTTE, "Lotte", POLICE)
    await typing.record_prompt(report.id, wanted.purpose, message_id=8002)
    outcome = await typing.take_text(8002, "Dit is een zaak voor de corporatie.")
    assert isinstance(outcome, Done)
    rejected = await world.current(report)
    assert rejected.status is ReportStatus.REJECTED and rejected.lead_partner == "politie"
    back = [r for r in await world.rows(report, COORDINATOR) if r["kind"] == "notification.lead"]
    assert len(back) == 1
    text = back[0]["params"]["text"]
    assert "Terug naar de coördinator" in text and "zaak voor de corporatie" in text
    assert await lotte.check(report.id, lead) == Refused(Refusal.NOT_HERE)
    coordinator_message = await world.deliver(report, COORDINATOR)
    cora = world.caseworker(CORA, "Cora", COORDINATOR)
    assert isinstance(await cora.forward(report.id, coordinator_message, "domijn"), Forwarded)


async def test_a_question_and_its_answer_are_relayed_without_names(world: World) -> None:
    report = await world.report()
    lead = await world.deliver(report, POLICE)
    assert isinstance(await world.caseworker(KEES, "Kees", POLICE).claim(report.id, lead), Done)
    asked = await world.typing(KEES, "Kees", POLICE).take_text(lead, " Hoe laat begint het? ")
    assert isinstance(asked, Asked) and asked.question == "Hoe laat begint het?"
    assert asked.notifications == (lead,)
    assert (await world.current(report)).status is ReportStatus.WAITING_FOR_RESIDENT
    question = [t for t in await world.news(report) if "heeft een vraag" in t]
    assert len(question) == 1 and "Hoe laat begint het?" in question[0]
    assert "Kees" not in question[0]
    answered = await relay_answer(world.svc, RESIDENT, "Rond tien uur 's avonds.")
    assert answered is not None and answered.status is ReportStatus.IN_PROGRESS
    relayed = [r for r in await world.rows(report, POLICE) if r["kind"] == "relay.answer"]
    assert len(relayed) == 1
    assert "Rond tien uur" in relayed[0]["params"]["text"]
    assert relayed[0]["params"]["reply_parameters"]["message_id"] == lead
    assert await relay_answer(world.svc, RESIDENT, "Nog iets") is None, "no open question left"


async def test_outsiders_other_chats_and_forged_data_are_refused_and_change_nothing(
    world: World,
) -> None:
    report = await world.report()
    lead = await world.deliver(report, POLICE)
    info = await world.deliver(report, ENFORCEMENT)
    otto = world.caseworker(OTTO, "Otto", POLICE)
    assert await otto.claim(report.id, lead) == Refused(Refusal.NOT_CASEWORKER, "politie")
    bas = world.caseworker(BAS, "Bas", ENFORCEMENT)
    assert await bas.claim(report.id, info) == Refused(Refusal.NOT_HERE)
    kees = world.caseworker(KEES, "Kees", POLICE)
    assert await kees.claim(report.id + 1, lead) == Refused(Refusal.UNKNOWN)
    assert await kees.claim(report.id, info) == Refused(Refusal.NOT_HERE)
    assert await kees.resolve(report.id, lead, "bestaat-niet") == Refused(Refusal.UNKNOWN)
    assert await kees.forward(report.id, lead, "politie") == Refused(Refusal.UNKNOWN)
    typed = await world.typing(OTTO, "Otto", POLICE).take_text(lead, "Zelf opgelost hoor")
    assert typed == Refused(Refusal.NOT_CASEWORKER, "politie")
    informed = await world.typing(BAS, "Bas", ENFORCEMENT).take_text(info, "Wie is dit?")
    assert informed == Refused(Refusal.NOT_HERE), "a copy for information never acts"
    assert await kees.want_text(report.id, lead, Purpose(TextFor.NOT_OURS)) == TextWanted(
        await world.current(report), Purpose(TextFor.NOT_OURS)
    )
    stored = await world.current(report)
    assert stored.status is ReportStatus.ROUTED and stored.claimed_by is None
    assert [e.action for e in await world.svc.cases.events(report.id)] == ["route"]


async def test_a_reply_to_a_message_that_is_not_the_reports_is_left_alone(world: World) -> None:
    report = await world.report()
    await world.deliver(report, POLICE)
    assert await world.typing(KEES, "Kees", POLICE).take_text(424242, "Hallo") is None


async def test_an_overlong_text_is_refused_and_changes_nothing(world: World) -> None:
    report = await world.report()
    lead = await world.deliver(report, POLICE)
    typing = world.typing(KEES, "Kees", POLICE)
    outcome = await typing.take_text(lead, "x" * (MAX_CASEWORKER_TEXT + 1))
    assert outcome == TooLong(MAX_CASEWORKER_TEXT + 1)
    assert (await world.current(report)).status is ReportStatus.ROUTED


@pytest.mark.parametrize(
    "purpose",
    [
        Purpose(TextFor.ASK),
        Purpose(TextFor.NOT_OURS),
        Purpose(TextFor.RESOLVE),
        Purpose(TextFor.RESOLVE, "geen-actie-mogelijk"),
    ],
)
async def test_prompts_are_refused_on_a_resolved_report(world: World, purpose: Purpose) -> None:
    report = await world.report()
    lead = await world.deliver(report, POLICE)
    kees = world.caseworker(KEES, "Kees", POLICE)
    assert isinstance(await kees.resolve(report.id, lead, "opgelost"), Done)
    refused = await kees.want_text(report.id, lead, purpose)
    assert isinstance(refused, Conflict) and not refused.claimed_by_other
    assert refused.report.status is ReportStatus.RESOLVED


async def test_a_closing_text_that_needs_a_reason_is_not_offered_on_a_resolved_report(
    world: World,
) -> None:
    report = await world.report()
    lead = await world.deliver(report, POLICE)
    kees = world.caseworker(KEES, "Kees", POLICE)
    assert isinstance(await kees.resolve(report.id, lead, "opgelost"), Done)
    late = await kees.resolve(report.id, lead, "geen-actie-mogelijk")
    assert isinstance(late, Conflict) and late.report.status is ReportStatus.RESOLVED


def test_a_stored_purpose_reads_back_and_anything_unknown_is_a_question() -> None:
    for purpose in (Purpose(TextFor.NOT_OURS), Purpose(TextFor.RESOLVE, "gesprek")):
        assert Purpose.parse(purpose.stored()) == purpose
    assert Purpose(TextFor.RESOLVE, "gesprek").stored() == "resolve:gesprek"
    assert Purpose.parse(None) == Purpose.parse("iets") == Purpose(TextFor.ASK)


async def test_a_press_on_a_copy_whose_answer_was_lost_acts_like_one_on_the_recorded_copy(
    world: World,
) -> None:
    report = await world.report()
    outbox, now = world.svc.outbox, world.clock.now()
    claimed = await outbox.claim_due(now, 100)
    [lead] = [row for row in claimed if row.chat_id == POLICE]
    for row in claimed:
        if row is not lead:
            assert await outbox.mark_sent(row.id, 7000 + row.id, now)
    kees = world.caseworker(KEES, "Kees", POLICE)
    unrecorded = 6990  # Telegram stored the first copy, but its answer never came back
    assert await kees.check(report.id, unrecorded) == Refused(Refusal.NOT_HERE)
    assert await outbox.retry_unknown(lead.id, now, "TimedOut: Timed out", now)
    assert isinstance(await kees.check(report.id, unrecorded), Report), "may be the first copy"
    await world.dispatch()
    recorded = 7000 + lead.id  # the marked copy
    assert isinstance(await kees.check(report.id, unrecorded), Report)
    assert isinstance(await kees.check(report.id, recorded), Report)
    later = await kees.check(report.id, recorded + 1)
    assert later == Refused(Refusal.NOT_HERE), "a message after the marked copy is no copy"
    other = await world.report()
    await world.dispatch()
    assert await kees.check(other.id, unrecorded) == Refused(Refusal.NOT_HERE)
    assert isinstance(await kees.claim(report.id, unrecorded), Done)
