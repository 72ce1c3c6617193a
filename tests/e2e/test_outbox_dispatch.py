"""The outbox dispatcher sending through real PTB to the fake Bot API under Telegram's limits."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from sandbox.botapi import FakeBotApi
from storage.outbox import OutboxStatus, OutgoingMessage, Priority
from tests.e2e.harness import Harness
from tests.e2e.outbox_sender import (
    CLOCK,
    Sender,
    drained,
    is_marked,
    partner_groups,
    residents,
    text,
    unmarked,
)

pytestmark = pytest.mark.timeout(45)


@pytest.fixture
async def sender(bot_api: FakeBotApi, tmp_path: Path) -> AsyncIterator[Sender]:
    """Run a sender against the fake Bot API; stop it after the test."""
    run = Sender(bot_api, tmp_path / "outbox.sqlite3")
    try:
        yield run
    finally:
        await run.stop()


def round_robin(chats: list[int], total: int) -> list[tuple[int, str]]:
    """Return (chat, unique text) for total rows spread over chats in turn."""
    return [
        (chats[n % len(chats)], f"bericht {n:03d} aan {chats[n % len(chats)]}")
        for n in range(total)
    ]


def assert_delivered_once_in_order(api: FakeBotApi, plan: list[tuple[int, str]]) -> None:
    """Check every planned text arrived exactly once and each chat got its texts in order.

    A copy sent again after a 5xx carries the possible-repeat note; it is compared without.
    """
    delivered = [unmarked(m.text) for chat in {c for c, _ in plan} for m in api.messages(chat)]
    assert not [t for t, n in Counter(delivered).items() if n > 1], "a message arrived twice"
    for chat in {c for c, _ in plan}:
        expected = [body for c, body in plan if c == chat]
        assert [unmarked(m.text) for m in api.messages(chat)] == expected


async def assert_all_sent_with_their_message_ids(sender: Sender, ids: list[int]) -> None:
    """Check each row is recorded as sent with the id of the message the fake made."""
    for row_id in ids:
        row = await sender.outbox.get(row_id)
        assert row is not None
        assert row.status is OutboxStatus.SENT, (row.id, row.status, row.last_error)
        shown = sender.api.current(row.chat_id, row.message_id or 0)
        assert shown is not None and unmarked(shown.get("text", "")) == row.params["text"]


async def test_two_hundred_rows_reach_forty_residents_and_two_groups_once_without_a_429(
    bot_api: FakeBotApi, sender: Sender
) -> None:
    bot_api.rate_limits(enabled=True)
    people = [user.id for user in residents(bot_api, 40)]
    groups = [group.id for group in partner_groups(bot_api, 2)]
    plan = round_robin(groups, 40) + round_robin(people, 160)
    await sender.start()
    ids = await sender.schedule(
        text(chat, body, Priority.NOTIFICATION if chat < 0 else Priority.BULK)
        for chat, body in plan
    )
    await sender.drained()
    assert_delivered_once_in_order(bot_api, plan)
    await assert_all_sent_with_their_message_ids(sender, ids)
    assert bot_api.too_many_requests == 0


async def test_every_row_arrives_once_when_a_fifth_of_the_calls_fail_with_429_or_500(
    bot_api: FakeBotApi, sender: Sender
) -> None:
    bot_api.rate_limits(enabled=True)
    bot_api.failure_rate(0.2, seed=7, statuses=(429, 500))
    people = [user.id for user in residents(bot_api, 30)]
    groups = [group.id for group in partner_groups(bot_api, 1)]
    plan = round_robin(groups, 15) + round_robin(people, 90)
    await sender.start()
    ids = await sender.schedule(text(chat, body) for chat, body in plan)
    await sender.drained()
    assert_delivered_once_in_order(bot_api, plan)
    await assert_all_sent_with_their_message_ids(sender, ids)
    injected = Counter(status for _, status in bot_api.faults.injected)
    assert injected[429] > 0 and injected[500] > 0
    assert bot_api.too_many_requests == 0
    marked = [m for m in bot_api.world.sent if is_marked(m.text)]
    counts = await sender.outbox.delivery_counts()
    # A 5xx does not prove that the message did not arrive, so the copy after it is marked
    # (here the only copy: this fake answers 500 before storing anything). Nothing else is.
    assert 0 < len(marked) == counts.uncertain_rows <= counts.uncertain_resends <= injected[500]


async def test_a_chat_that_refuses_the_bot_fails_its_rows_and_is_reported_once(
    bot_api: FakeBotApi, sender: Sender
) -> None:
    [anna] = residents(bot_api, 1)
    blocked = bot_api.user(6001, "Bram", started=True)
    bot_api.block(blocked)
    left = bot_api.group(-1002000000001, "Verlaten groep")
    await sender.start()
    ids = await sender.schedule(
        [
            text(blocked.id, "één"),
            text(blocked.id, "twee"),
            text(left.id, "melding"),
            text(anna.id, "hallo Anna"),
        ]
    )
    await sender.drained()
    rows = [await sender.outbox.get(row_id) for row_id in ids]
    assert [row.status for row in rows if row] == [OutboxStatus.FAILED] * 3 + [OutboxStatus.SENT]
    assert sorted(chat for chat, _ in sender.unreachable) == [left.id, blocked.id]
    reasons = dict(sender.unreachable)
    assert "blocked" in reasons[blocked.id]
    assert "not a member" in reasons[left.id]
    assert [m.text for m in bot_api.messages(anna.id)] == ["hallo Anna"]


async def test_a_message_telegram_refuses_fails_at_once_without_retries(
    bot_api: FakeBotApi, sender: Sender
) -> None:
    [anna] = residents(bot_api, 1)
    bot_api.expect_refusal("can't parse entities")
    await sender.start()
    [row_id] = await sender.schedule(
        [text(anna.id, "", params={"text": "<b>kapot", "parse_mode": "HTML"})]
    )
    await sender.drained()
    row = await sender.outbox.get(row_id)
    assert row is not None
    assert (row.status, row.attempts) == (OutboxStatus.FAILED, 1)
    assert row.last_error is not None and row.last_error.startswith("BadRequest")
    assert sender.unreachable == []


async def test_an_edit_that_changes_nothing_counts_as_sent(
    bot_api: FakeBotApi, sender: Sender
) -> None:
    [group] = partner_groups(bot_api, 1)
    bot_api.expect_refusal("message is not modified")
    await sender.start()
    [first] = await sender.schedule([text(group.id, "Geclaimd door Sanne")])
    await sender.drained()
    sent = await sender.outbox.get(first)
    assert sent is not None and sent.message_id is not None
    edit = {"message_id": sent.message_id, "text": "Geclaimd door Sanne"}
    [again] = await sender.schedule(
        [text(group.id, "", method="editMessageText", params=edit, kind="notification.edit")]
    )
    await sender.drained()
    edited = await sender.outbox.get(again)
    assert edited is not None
    assert (edited.status, edited.message_id) == (OutboxStatus.SENT, sent.message_id)


async def test_a_reply_chain_arrives_as_replies_to_the_first_message(
    bot_api: FakeBotApi, sender: Sender
) -> None:
    [group] = partner_groups(bot_api, 1)
    await sender.start()
    notification = await sender.schedule([text(group.id, "Melding ENS-2026-0001")])
    pin = OutgoingMessage(
        chat_id=group.id,
        method="sendLocation",
        params={"latitude": 52.2196, "longitude": 6.8937},
        priority=Priority.NOTIFICATION,
        due_at=CLOCK.now(),
        kind="notification.pin",
        reply_to_row=notification[0],
    )
    album = pin.model_copy(
        update={
            "method": "sendMediaGroup",
            "params": {
                "media": [
                    {"type": "photo", "media": "https://example.org/a.jpg", "caption": "foto 1"},
                    {"type": "photo", "media": "https://example.org/b.jpg"},
                ]
            },
            "kind": "notification.photos",
        }
    )
    ids = await sender.schedule([pin, album])
    await sender.drained()
    first, location, photo, second_photo = bot_api.messages(group.id)
    assert first.text == "Melding ENS-2026-0001"
    for reply in (location, photo, second_photo):
        assert reply.message["reply_to_message"]["message_id"] == first.message_id
    assert (location.kind, photo.kind) == ("location", "photo")
    rows = [await sender.outbox.get(row_id) for row_id in ids]
    assert [row.message_id for row in rows if row] == [location.message_id, photo.message_id]


async def test_rows_pending_at_a_stop_are_sent_once_by_the_next_dispatcher(
    bot_api: FakeBotApi, sender: Sender
) -> None:
    bot_api.rate_limits(enabled=True)
    [anna, bram] = residents(bot_api, 2)
    plan = [(anna.id, f"anna {n}") for n in range(4)] + [(bram.id, f"bram {n}") for n in range(4)]
    await sender.start()
    ids = await sender.schedule(text(chat, body) for chat, body in plan)
    await bot_api.wait_for_message(anna.id, contains="anna 0")
    assert sender.dispatcher is not None
    await sender.dispatcher.stop()
    waiting = [await sender.outbox.get(row_id) for row_id in ids]
    statuses = Counter(row.status for row in waiting if row)
    assert set(statuses) == {OutboxStatus.SENT, OutboxStatus.PENDING}, "nothing left sending"
    assert statuses[OutboxStatus.SENT] == len(bot_api.messages(anna.id) + bot_api.messages(bram.id))
    await sender.stop()
    await sender.start()
    await sender.drained()
    assert_delivered_once_in_order(bot_api, plan)
    # The new process does not know what the old one sent in the last second: any 429 this
    # causes is absorbed by the rate limiter's retry, and still nothing arrives twice.


async def test_rows_a_crash_left_sending_are_sent_after_the_restart(
    bot_api: FakeBotApi, sender: Sender
) -> None:
    people = residents(bot_api, 3)
    plan = [(user.id, f"na de crash {user.id}") for user in people]
    await sender.start()
    assert sender.dispatcher is not None
    await sender.dispatcher.stop()
    await sender.schedule(text(chat, body) for chat, body in plan)
    claimed = await sender.outbox.claim_due(CLOCK.now(), 10)
    assert len(claimed) == 3, "a crashed dispatcher had claimed them"
    await sender.stop()
    await sender.start()
    await sender.drained()
    assert_delivered_once_in_order(bot_api, plan)


async def test_meldbot_sends_its_outbox_and_resumes_it_after_a_restart(
    meldbot: Harness,
) -> None:
    api = meldbot.api
    anna = api.user(7001, "Anna", started=True)
    assert meldbot.bot is not None
    due = meldbot.clock.now()
    first = text(anna.id, "eerste", Priority.REPLY).model_copy(update={"due_at": due})
    await meldbot.bot.outbox.enqueue_now(first)
    meldbot.bot.dispatcher.wake()
    await api.wait_for_message(anna.id, contains="eerste")
    await meldbot.bot.dispatcher.stop()
    later = first.model_copy(update={"params": {"text": "tweede"}})
    await meldbot.bot.outbox.enqueue_now(later)
    restarted = await meldbot.restart()
    await api.wait_for_message(anna.id, contains="tweede")
    await drained(restarted.outbox)
    assert [m.text for m in api.messages(anna.id)] == ["eerste", "tweede"]


async def test_a_generated_picture_is_drawn_when_sent_and_its_text_goes_without_one(
    bot_api: FakeBotApi, sender: Sender
) -> None:
    from services.ports import GENERATED_PICTURE

    png = b"\x89PNG\r\n\x1a\n" + bytes(2000)

    async def draw(name: str) -> bytes | None:
        if name.endswith(":1"):
            return png
        if name.endswith(":2"):
            return None
        raise RuntimeError("the map files are gone")

    sender.pictures = draw
    [group] = partner_groups(bot_api, 1)
    rows = [
        text(
            group.id,
            "",
            Priority.NOTIFICATION,
            method="sendPhoto",
            params={"photo": f"{GENERATED_PICTURE}hotspot:{n}", "caption": f"hotspot {n}"},
        )
        for n in (1, 2, 3)
    ]
    await sender.start()
    await sender.schedule(rows)
    await sender.drained()
    drawn, without, failed = bot_api.messages(group.id)
    assert drawn.method == "sendPhoto" and drawn.text == "hotspot 1"
    stored = bot_api.world.files[drawn.message["photo"][-1]["file_id"]]
    assert stored.data == png
    assert (without.method, without.text) == ("sendMessage", "hotspot 2")
    assert (failed.method, failed.text) == ("sendMessage", "hotspot 3")
