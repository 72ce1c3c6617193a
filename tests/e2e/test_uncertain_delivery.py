"""As close to exactly once as the Bot API allows: a repeat only after a lost answer, marked."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.dispatcher import call_bot_api, request_params
from reports.models import Language
from sandbox.botapi import DROP, HANG, FakeBotApi, SentMessage
from storage.database import Database
from storage.drafts import DraftRepository
from storage.outbox import OutboxRow, OutboxStatus, OutgoingMessage, Priority
from storage.reports import ReportRepository
from storage.residents import ResidentRepository
from tests.e2e.outbox_sender import CLOCK, Sender, drained, is_marked, partner_groups, unmarked
from tests.e2e.steps.chain import Chain
from tests.storage.builders import complete_draft

pytestmark = pytest.mark.timeout(45)

BUTTONS = {
    "inline_keyboard": [
        [{"text": "🙋 Oppakken", "callback_data": "p:1:cl:"}],
        [{"text": "✅ Afhandelen", "callback_data": "p:1:rs:"}],
    ]
}
NOTIFICATION = "<b>Melding ENS-2026-0001</b>\nVolle afvalbak, zakken ernaast."


@pytest.fixture
async def sender(bot_api: FakeBotApi, tmp_path: Path) -> AsyncIterator[Sender]:
    """Run a dispatcher whose PTB gives up on an answer after one second."""
    run = Sender(bot_api, tmp_path / "outbox.sqlite3", read_timeout=1.0)
    bot_api.faults.hang_seconds = 3.0
    try:
        yield run
    finally:
        await run.stop()


async def a_report(database: Database, user_id: int = 1001, language: str = "nl") -> int:
    """Store a report (made in a language) and return its id."""
    draft = complete_draft(user_id)
    draft.language = Language(language)
    await DraftRepository(database).save(draft)
    report = await ReportRepository(database).commit_draft(draft, prefix="ENS", now=CLOCK.now())
    return report.id


def notification(chat_id: int, report_id: int | None, **params: Any) -> OutgoingMessage:
    """Return a partner notification with buttons, as the chain queues it."""
    return OutgoingMessage(
        chat_id=chat_id,
        method=params.pop("method", "sendMessage"),
        params=params or {"text": NOTIFICATION, "parse_mode": "HTML", "reply_markup": BUTTONS},
        priority=Priority.NOTIFICATION,
        due_at=CLOCK.now(),
        kind="notification.lead",
        report_id=report_id,
    )


async def uncertainty_events(database: Database, report_id: int) -> list[str]:
    """Return the details of the report's audit lines about uncertain delivery."""
    async with database.read() as session:
        rows = await session.fetch_all(
            "SELECT detail FROM report_events WHERE report_id = ? AND action = ?",
            (report_id, "delivery_uncertain"),
        )
    return [row["detail"] for row in rows]


async def settled(sender: Sender) -> None:
    """Wait until the outbox is drained and a few of the dispatcher's ticks have passed."""
    await sender.drained()
    await asyncio.sleep(1.0)


async def row_of(sender: Sender, row_id: int) -> OutboxRow:
    """Return an outbox row as stored now."""
    row = await sender.outbox.get(row_id)
    assert row is not None
    return row


async def backoff_passed(chain: Chain, reference: str) -> SentMessage:
    """Move the injected clock past the retry's backoff until the next copy arrives."""
    api = chain.run.api
    for _ in range(10):
        chain.run.clock.advance(timedelta(seconds=10))
        with contextlib.suppress(AssertionError):
            return await api.wait_for_message(chain.police.id, contains=reference, timeout=1.5)
    raise AssertionError("the notification was not sent again")


def assert_same_buttons(first: SentMessage, second: SentMessage) -> None:
    """Check that two copies carry identical buttons (labels and callback data)."""
    assert first.reply_markup == second.reply_markup == BUTTONS


@pytest.mark.parametrize(
    ("failure", "how"),
    [
        (DROP, "the connection dropped"),
        (HANG, "the answer timed out"),
        (500, "Telegram answered 500"),
        (502, "the gateway answered 502"),
    ],
)
async def test_an_answer_lost_after_telegram_stored_the_message_gives_one_marked_copy(
    bot_api: FakeBotApi, sender: Sender, failure: int, how: str
) -> None:
    [group] = partner_groups(bot_api, 1)
    bot_api.fail_next("sendMessage", status=failure, after_effect=True, chat_id=group.id)
    await sender.start()
    assert sender.database is not None
    report_id = await a_report(sender.database)
    [row_id] = await sender.schedule([notification(group.id, report_id)])
    await sender.drained()
    first, second = bot_api.messages(group.id)
    assert not is_marked(first.text), how
    assert is_marked(second.text) and unmarked(second.text) == first.text
    assert second.entities[0]["type"] == "italic", "the note stands out from the message"
    assert_same_buttons(first, second)
    row = await row_of(sender, row_id)
    assert (row.status, row.message_id) == (OutboxStatus.SENT, second.message_id)
    assert (row.uncertain, row.uncertain_resends, row.attempts) == (True, 1, 2)
    [event] = await uncertainty_events(sender.database, report_id)
    assert event.startswith("notification.lead: ")
    await sender.stop()
    await sender.start()
    await settled(sender)
    assert len(bot_api.messages(group.id)) == 2, "a row recorded sent is never sent again"


async def test_the_marked_copy_of_an_album_carries_the_note_in_its_first_caption(
    bot_api: FakeBotApi, sender: Sender
) -> None:
    [group] = partner_groups(bot_api, 1)
    photo = {"type": "photo", "media": "https://example.org/a.jpg", "caption": "<b>foto</b> 1"}
    album = notification(
        group.id,
        None,
        method="sendMediaGroup",
        media=[{**photo, "parse_mode": "HTML"}, {**photo, "caption": "foto 2"}],
    )
    bot_api.fail_next("sendMediaGroup", status=DROP, after_effect=True, chat_id=group.id)
    await sender.start()
    [row_id] = await sender.schedule([album])
    await sender.drained()
    captions = [m.text for m in bot_api.messages(group.id)]
    assert captions[:2] == ["foto 1", "foto 2"]
    assert is_marked(captions[2]) and unmarked(captions[2]) == "foto 1"
    assert captions[3] == "foto 2"
    assert (await row_of(sender, row_id)).uncertain_resends == 1


async def test_an_answer_that_proves_nothing_was_stored_never_marks_a_copy(
    bot_api: FakeBotApi, sender: Sender
) -> None:
    flooded, blocked, broken = partner_groups(bot_api, 3)
    bot_api.fail_next("sendMessage", status=429, retry_after=1, chat_id=flooded.id)
    bot_api.fail_next("sendMessage", status=403, chat_id=blocked.id)
    bot_api.fail_next("sendMessage", status=400, description="can't parse", chat_id=broken.id)
    await sender.start()
    assert sender.database is not None
    report_id = await a_report(sender.database)
    ids = await sender.schedule(
        [notification(chat.id, report_id) for chat in (flooded, blocked, broken)]
    )
    await sender.drained()
    [once] = bot_api.messages(flooded.id)
    assert not is_marked(once.text)
    assert bot_api.messages(blocked.id) == bot_api.messages(broken.id) == []
    rows = [await row_of(sender, row_id) for row_id in ids]
    assert [row.status for row in rows] == [OutboxStatus.SENT] + [OutboxStatus.FAILED] * 2
    assert not any(row.uncertain or row.uncertain_resends for row in rows)
    assert await uncertainty_events(sender.database, report_id) == []
    counts = await sender.outbox.delivery_counts()
    assert (counts.uncertain_rows, counts.uncertain_resends) == (0, 0)


async def test_a_connection_dropped_before_anything_was_stored_still_marks_the_only_copy(
    bot_api: FakeBotApi, sender: Sender
) -> None:
    [group] = partner_groups(bot_api, 1)
    bot_api.fail_next("sendMessage", status=DROP, chat_id=group.id)
    await sender.start()
    [row_id] = await sender.schedule([notification(group.id, None)])
    await sender.drained()
    [only] = bot_api.messages(group.id)
    assert is_marked(only.text), "a dropped connection cannot tell, so the copy says it may repeat"
    assert (await row_of(sender, row_id)).uncertain_resends == 1


async def test_a_resident_reads_the_note_in_the_language_their_message_is_in(
    bot_api: FakeBotApi, sender: Sender
) -> None:
    emma, jan = bot_api.user(6101, "Emma", started=True), bot_api.user(6102, "Jan", started=True)
    await sender.start()
    assert sender.database is not None
    report_id = await a_report(sender.database, emma.id, "en")
    await ResidentRepository(sender.database).set_language(jan.id, Language("de"), CLOCK.now())
    for resident in (emma, jan):
        bot_api.fail_next("sendMessage", status=DROP, after_effect=True, chat_id=resident.id)
    news = notification(emma.id, report_id, text="Your report ENS-2026-0001 was picked up.")
    await sender.schedule([news, notification(jan.id, None, text="Ihr Tipp des Monats")])
    await sender.drained()
    assert bot_api.messages(emma.id)[1].text == (
        "🔁 This message may repeat an earlier one.\nYour report ENS-2026-0001 was picked up."
    )
    assert bot_api.messages(jan.id)[1].text.startswith(
        "🔁 Diese Nachricht wiederholt möglicherweise eine frühere.\n"
    )


async def test_a_row_a_crash_left_on_the_wire_is_sent_again_marked_and_audited(
    bot_api: FakeBotApi, sender: Sender
) -> None:
    on_wire_group, waiting_group = partner_groups(bot_api, 2)
    await sender.start()
    assert sender.dispatcher is not None and sender.database is not None and sender.app
    await sender.dispatcher.stop()
    report_id = await a_report(sender.database)
    on_wire, waiting = await sender.schedule(
        [notification(on_wire_group.id, report_id), notification(waiting_group.id, report_id)]
    )
    # The process that crashed had claimed both rows; one was still waiting for the rate
    # limiter, the other's request had gone out and Telegram stored the message, but the
    # process died before the answer was recorded.
    assert len(await sender.outbox.claim_due(CLOCK.now(), 10)) == 2
    assert await sender.outbox.start_request(on_wire, CLOCK.now())
    crashed = await row_of(sender, on_wire)
    await call_bot_api(sender.app.bot, "sendMessage", request_params(crashed), None)
    await sender.stop()
    await sender.start()
    await sender.drained()
    first, second = bot_api.messages(on_wire_group.id)
    assert not is_marked(first.text) and is_marked(second.text)
    assert_same_buttons(first, second)
    [untried] = bot_api.messages(waiting_group.id)
    assert not is_marked(untried.text), "a request that never left is sent once, unmarked"
    assert (await row_of(sender, on_wire)).uncertain_resends == 1
    assert (await row_of(sender, waiting)).uncertain_resends == 0
    [event] = await uncertainty_events(sender.database, report_id)
    assert "interrupted while sending" in event


async def test_a_row_known_sent_is_never_put_on_the_wire_again(
    bot_api: FakeBotApi, sender: Sender
) -> None:
    [group] = partner_groups(bot_api, 1)
    await sender.start()
    [row_id] = await sender.schedule([notification(group.id, None)])
    await sender.drained()
    for _ in range(2):
        await sender.stop()
        await sender.start()
        await drained(sender.outbox)
    assert not await sender.outbox.start_request(row_id, CLOCK.now())
    assert not await sender.outbox.retry_unknown(row_id, CLOCK.now(), "late", CLOCK.now())
    assert (await sender.outbox.recover_interrupted(CLOCK.now())).ids == []
    await settled(sender)
    [once] = bot_api.messages(group.id)
    assert not is_marked(once.text)
    assert (await row_of(sender, row_id)).status is OutboxStatus.SENT


async def test_both_copies_of_a_notification_whose_answer_was_lost_act_on_the_report(
    chain: Chain,
) -> None:
    api = chain.run.api
    api.fail_next("sendMessage", status=DROP, after_effect=True, chat_id=chain.police.id)
    dirk = api.user(1290, "Dirk")
    reference = await chain.report(dirk)
    first = await chain.notification(chain.police, reference)
    assert not is_marked(first.text)
    second = await backoff_passed(chain, reference)
    assert second.text.startswith("🔁 Dit bericht is mogelijk een herhaling")
    assert first.reply_markup == second.reply_markup
    api.press(chain.kees, first, text="🙋 Oppakken")
    claimed = await api.wait_for_message(chain.police.id, contains="in behandeling bij Kees")
    assert claimed.message_id == first.message_id
    await api.wait_for_message(dirk.id, contains="is opgepakt door", timeout=10)
    api.send_text(chain.cora, f"/melding {reference}", chain.coordinator)
    case = await api.wait_for_message(chain.coordinator.id, contains=reference, timeout=10)
    assert "bezorging onzeker, bericht mogelijk dubbel verstuurd" in case.text
