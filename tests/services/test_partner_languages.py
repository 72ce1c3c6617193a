"""Each partner chat reads its partner's language; the coordinator's chat the coordinator's."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from bot.app import build_resolver
from config.loading import load_municipality
from config.municipality import MunicipalityConfig
from handlers.messages import TelegramMessages
from handlers.texts import languages
from reports.clock import ManualClock
from reports.kinds import CaseRole, OutboxKind
from reports.locating import LocationResolver
from reports.models import Language, Report
from services.casework import Done
from services.casework_texts import Asked, relay_answer
from services.container import Services
from services.escalation import Escalation, escalate_overdue
from services.followups import tell_lead
from services.ports import Badge, FollowupNews
from services.reporting import submit_report
from storage.database import Database
from tests.services.test_casework import (
    COORDINATOR,
    ENFORCEMENT,
    KEES,
    MONDAY,
    POLICE,
    RESIDENT,
    World,
)
from tests.storage.builders import complete_draft

OFFLINE = '[geocoder]\nprovider = "none"\n'
ENGLISH_POLICE = (
    f'[partners.politie]\nchat_id = {POLICE}\ncaseworkers = [{KEES}]\nlanguage = "en"\n'
    f"[partners.handhaving]\nchat_id = {ENFORCEMENT}\n"
    f"[partners.coordinator]\nchat_id = {COORDINATOR}\n"
)
ENGLISH = {
    "notification": ("Report ", "new, not yet claimed", "the reporter stays anonymous"),
    "button": "🙋 Claim",
    "reminder": "<b>Reminder</b>",
    "answer": "<b>Answer from the reporter</b>",
}
DUTCH = {
    "notification": ("Melding ", "nieuw, nog niet opgepakt", "melder blijft anoniem"),
    "button": "🙋 Oppakken",
    "reminder": "<b>Herinnering</b>",
    "answer": "<b>Antwoord van de melder</b>",
}


@pytest.fixture(scope="module")
def resolver() -> LocationResolver:
    """Load the neighbourhood map once for the module."""
    return build_resolver(load_municipality())[0]


@pytest.fixture
async def world(
    tmp_path: Path, request: pytest.FixtureRequest, resolver: LocationResolver
) -> AsyncIterator[World]:
    """Build the services on the shipped configuration with the test's partner chats."""
    override = tmp_path / "meldbot.toml"
    override.write_text(OFFLINE + request.param, encoding="utf-8")
    config: MunicipalityConfig = load_municipality(override)
    db = await Database.open(tmp_path / "meldbot.sqlite3")
    clock = ManualClock(MONDAY)
    svc = Services.create(
        config,
        db,
        clock=clock,
        messages=TelegramMessages(config),
        locations=resolver,
        wake=lambda: None,
        languages=languages(),
    )
    try:
        yield World(svc, db, clock, [])
    finally:
        await db.close()


async def submit(world: World, category_id: str) -> Report:
    """Submit a report of a category in Boddenkamp now, as the resident's "Send" does."""
    draft = complete_draft(RESIDENT, at=world.clock.now())
    draft.category_id = category_id
    await world.svc.drafts.save(draft)
    return await submit_report(world.svc, draft, None)


async def texts(world: World, report: Report, chat_id: int, kind: str) -> list[str]:
    """Return the texts of a kind queued for a chat about a report, oldest first."""
    rows = await world.rows(report, chat_id)
    return [row["params"]["text"] for row in rows if row["kind"] == kind]


def buttons(params: dict[str, Any]) -> list[tuple[str, str]]:
    """Return a message's buttons as (label, callback data)."""
    rows = params.get("reply_markup", {}).get("inline_keyboard", [])
    return [(button["text"], button["callback_data"]) for row in rows for button in row]


async def ask_and_answer(world: World, report: Report, chat_id: int, user_id: int) -> None:
    """Let a caseworker in a chat claim the report and ask a question, and the reporter answer."""
    lead = await world.deliver(report, chat_id)
    assert isinstance(await world.caseworker(user_id, "Kees", chat_id).claim(report.id, lead), Done)
    asked = await world.typing(user_id, "Kees", chat_id).take_text(lead, "Hoe laat?")
    assert isinstance(asked, Asked)
    assert await relay_answer(world.svc, RESIDENT, "Om tien uur.") is not None


@pytest.mark.parametrize("world", [ENGLISH_POLICE], indirect=True)
@pytest.mark.parametrize(
    ("category", "chat_id", "caseworker", "words"),
    [
        ("jongerenoverlast", POLICE, KEES, ENGLISH),
        ("geluidsoverlast", ENFORCEMENT, 511, DUTCH),
    ],
    ids=["english-police", "dutch-enforcement"],
)
async def test_a_partner_gets_its_notification_reminder_and_relayed_answer_in_its_language(
    world: World, category: str, chat_id: int, caseworker: int, words: dict[str, Any]
) -> None:
    report = await submit(world, category)
    [notification] = [
        row for row in await world.rows(report, chat_id) if row["kind"] == "notification.lead"
    ]
    text = notification["params"]["text"]
    assert all(word in text for word in words["notification"]), text
    assert words["button"] in [label for label, _ in buttons(notification["params"])]
    assert report.due_at is not None
    world.clock.set(report.due_at + timedelta(minutes=1))
    assert await escalate_overdue(world.svc) == 1
    [reminder] = await texts(world, report, chat_id, OutboxKind.REMINDER)
    assert words["reminder"] in reminder and report.reference in reminder
    await ask_and_answer(world, report, chat_id, caseworker)
    [answer] = await texts(world, report, chat_id, OutboxKind.RELAY_ANSWER)
    assert words["answer"] in answer and "Om tien uur." in answer


@pytest.mark.parametrize("world", [ENGLISH_POLICE], indirect=True)
async def test_names_follow_the_chat_and_the_buttons_data_does_not(world: World) -> None:
    report = await submit(world, "jongerenoverlast")  # police leads, enforcement is informed
    [english] = await texts(world, report, POLICE, OutboxKind.NOTIFICATION_LEAD)
    assert "Youth nuisance" in english and "Jongerenoverlast" not in english
    [dutch] = await texts(world, report, ENFORCEMENT, OutboxKind.NOTIFICATION_INFORM)
    assert "Ter informatie" in dutch and "Politie (wijkagent) pakt dit op" in dutch
    assert "Jongerenoverlast" in dutch
    [row] = [r for r in await world.rows(report, POLICE) if r["kind"] == "notification.lead"]
    in_dutch = world.svc.messages.notification(report, Badge(), None, Language.NL)
    assert [data for _, data in buttons(row["params"])] == [
        data for _, data in buttons(in_dutch.params)
    ]
    assert [label for label, _ in buttons(row["params"])] != [
        label for label, _ in buttons(in_dutch.params)
    ]


UNLINKED_POLICE_ENGLISH_COORDINATOR = (
    f"[partners.handhaving]\nchat_id = {ENFORCEMENT}\n"
    f'[partners.coordinator]\nchat_id = {COORDINATOR}\nlanguage = "en"\n'
)
UNLINKED_ENGLISH_POLICE = (
    '[partners.politie]\nlanguage = "en"\n'
    f"[partners.handhaving]\nchat_id = {ENFORCEMENT}\n"
    f"[partners.coordinator]\nchat_id = {COORDINATOR}\n"
)


@pytest.mark.parametrize(
    ("world", "words", "badge"),
    [
        (
            UNLINKED_POLICE_ENGLISH_COORDINATOR,
            ENGLISH,
            "For Police (neighbourhood officer)</b>, which has no linked chat yet",
        ),
        (
            UNLINKED_ENGLISH_POLICE,
            DUTCH,
            "Voor Politie (wijkagent)</b>, die nog geen gekoppelde chat heeft",
        ),
    ],
    indirect=["world"],
    ids=["english-coordinator", "dutch-coordinator"],
)
async def test_the_coordinator_standing_in_for_an_unlinked_partner_reads_its_own_language(
    world: World, words: dict[str, Any], badge: str
) -> None:
    report = await submit(world, "jongerenoverlast")  # the police lead, but has no chat
    [stand_in] = await texts(world, report, COORDINATOR, OutboxKind.NOTIFICATION_LEAD)
    assert badge in stand_in
    assert all(word in stand_in for word in words["notification"]), stand_in
    [informed] = await texts(world, report, ENFORCEMENT, OutboxKind.NOTIFICATION_INFORM)
    assert "Ter informatie" in informed  # enforcement reads Dutch either way
    assert report.due_at is not None
    world.clock.set(report.due_at + timedelta(minutes=1))
    assert await escalate_overdue(world.svc) == 1
    [reminder] = await texts(world, report, COORDINATOR, OutboxKind.REMINDER)
    assert words["reminder"] in reminder
    await ask_and_answer(world, report, COORDINATOR, 509)
    [answer] = await texts(world, report, COORDINATOR, OutboxKind.RELAY_ANSWER)
    assert words["answer"] in answer


@pytest.mark.parametrize("world", [ENGLISH_POLICE], indirect=True)
async def test_the_coordinator_hears_of_an_english_partners_unclaimed_report_in_dutch(
    world: World,
) -> None:
    report = await submit(world, "jongerenoverlast")
    assert report.due_at is not None
    world.clock.set(report.due_at + timedelta(minutes=1))
    assert await escalate_overdue(world.svc) == 1
    world.clock.set(Escalation(world.svc).escalation_at(report) + timedelta(minutes=1))
    assert await escalate_overdue(world.svc) == 1
    [notice] = await texts(world, report, COORDINATOR, OutboxKind.ESCALATION)
    assert "<b>Niet opgepakt</b>" in notice and "bij Politie (wijkagent)" in notice
    assert "Jongerenoverlast" in notice


@pytest.mark.parametrize("world", [ENGLISH_POLICE], indirect=True)
async def test_follow_up_news_reaches_the_lead_chat_in_its_language(world: World) -> None:
    svc = world.svc
    english = await submit(world, "jongerenoverlast")  # the police lead
    dutch = await submit(world, "geluidsoverlast")  # enforcement leads
    for report in (english, dutch):
        await world.deliver(report, POLICE if report is english else ENFORCEMENT)
        render = partial(svc.messages.followup_news, report, FollowupNews.ONGOING)
        kind = OutboxKind.RELAY_FOLLOWUP_ONGOING
        async with svc.uow() as work:
            await tell_lead(svc, work, report, render, world.clock.now(), kind, CaseRole.FOLLOWUP)
    [still] = await texts(world, english, POLICE, OutboxKind.RELAY_FOLLOWUP_ONGOING)
    assert "<b>Still going on</b>" in still
    [speelt] = await texts(world, dutch, ENFORCEMENT, OutboxKind.RELAY_FOLLOWUP_ONGOING)
    assert "<b>Speelt nog</b>" in speelt
