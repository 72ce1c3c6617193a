"""The inbox: updates stored once, handled in order, marked with their effects, parked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from storage.database import Database
from storage.handling import HANDLING, Handling
from storage.inbox import (
    MAX_ATTEMPTS,
    MAX_ATTEMPTS_UNREACHABLE,
    RETRY_AFTER,
    Inbox,
    chat_of,
)
from storage.outbox import OutboxRepository, OutgoingMessage, Priority

NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def text_update(update_id: int, chat_id: int = 1001, text: str = "hallo") -> dict[str, Any]:
    """Return a message update as Telegram sends it."""
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 0,
            "chat": {"id": chat_id, "type": "private"},
            "from": {"id": chat_id, "is_bot": False, "first_name": "Anna"},
            "text": text,
        },
    }


async def state_of(db: Database, update_id: int) -> tuple[str, str | None, int]:
    """Return an update's state, its stored JSON and its attempts."""
    async with db.read() as session:
        row = await session.fetch_one(
            "SELECT state, body, attempts FROM inbox WHERE update_id = ?", (update_id,)
        )
    assert row is not None
    return row["state"], row["body"], row["attempts"]


async def test_an_update_delivered_twice_is_stored_once_and_acknowledged_after(
    db: Database,
) -> None:
    inbox = Inbox(db)
    assert await inbox.next_offset() is None
    assert await inbox.store([text_update(7), text_update(8, 1002)], NOW) == [7, 8]
    assert await inbox.store([text_update(8, 1002), text_update(9)], NOW) == [9]
    assert await inbox.next_offset() == 10
    due = await inbox.due(NOW)
    assert [(row.update_id, row.chat_id, row.applied) for row in due] == [
        (7, 1001, False),
        (8, 1002, False),
    ], "9 waits until 7 of its chat is done"
    assert due[0].body == text_update(7)
    await inbox.finish(7, NOW)
    assert [row.update_id for row in await inbox.due(NOW)] == [8, 9]


async def test_a_finished_update_forgets_its_content(db: Database) -> None:
    inbox = Inbox(db)
    await inbox.store([text_update(7, text="Mijn telefoonnummer is 0612345678")], NOW)
    await inbox.finish(7, NOW)
    assert await state_of(db, 7) == ("done", None, 0)
    assert await inbox.due(NOW) == []
    assert (await inbox.counts()).done == 1


async def test_a_write_while_handling_marks_the_update_applied_in_the_same_transaction(
    db: Database,
) -> None:
    inbox = Inbox(db)
    await inbox.store([text_update(7), text_update(8, 1002)], NOW)
    token = HANDLING.set(Handling(7))
    try:
        try:
            async with db.transaction() as session:
                await session.execute(
                    "INSERT INTO residents (user_id, created_at, updated_at)"
                    " VALUES (1001, '2026-12-03', '2026-12-03')"
                )
                raise RuntimeError("the handler fails before its transaction commits")
        except RuntimeError:
            pass
        assert (await state_of(db, 7))[0] == "new", "a rolled back write marks nothing"
        async with db.transaction() as session:
            await session.execute("SELECT 1")
    finally:
        HANDLING.reset(token)
    assert (await state_of(db, 7))[0] == "applied"
    assert (await state_of(db, 8))[0] == "new", "only the update being handled"
    assert [row.applied for row in await inbox.due(NOW)] == [True, False]


async def test_handling_an_update_again_does_not_queue_its_messages_twice(db: Database) -> None:
    outbox = OutboxRepository(db)

    async def handle() -> int | None:
        token = HANDLING.set(Handling(7))
        try:
            async with db.transaction() as session:
                return await outbox.enqueue(
                    session,
                    OutgoingMessage(
                        chat_id=1001,
                        method="sendMessage",
                        params={"chat_id": 1001, "text": "Uw antwoord is doorgestuurd."},
                        priority=Priority.REPLY,
                        due_at=NOW,
                        kind="resident.relay",
                    ),
                )
        finally:
            HANDLING.reset(token)

    await Inbox(db).store([text_update(7)], NOW)
    first = await handle()
    again = await handle()
    assert first is not None
    assert again is None
    assert await outbox.pending_count() == 1


async def test_a_failing_update_is_tried_again_later_then_parked(db: Database) -> None:
    inbox = Inbox(db)
    await inbox.store([text_update(7), text_update(8), text_update(9, 1002)], NOW)
    assert await inbox.fail(7, "OperationalError", NOW) is False
    assert [row.update_id for row in await inbox.due(NOW)] == [9], (
        "7 waits for its retry, and 8 of the same chat waits behind it; another chat goes on"
    )
    await inbox.finish(9, NOW)
    later = NOW + timedelta(minutes=1)
    assert [row.update_id for row in await inbox.due(later)] == [7]
    for attempt in range(2, MAX_ATTEMPTS + 1):
        parked = await inbox.fail(7, "OperationalError", later)
        assert parked is (attempt == MAX_ATTEMPTS)
        later += timedelta(minutes=1)
    state, body, attempts = await state_of(db, 7)
    assert (state, attempts) == ("parked", MAX_ATTEMPTS)
    assert body is not None, "kept for inspection"
    assert [row.update_id for row in await inbox.due(later)] == [8]
    counts = await inbox.counts()
    assert (counts.open, counts.parked) == (1, 1)


async def test_an_applied_update_holds_back_nothing_once_its_chat_sent_more(db: Database) -> None:
    inbox = Inbox(db)
    await inbox.store([text_update(7), text_update(8, 1002)], NOW)
    async with db.transaction() as session:
        await session.execute("UPDATE inbox SET state = 'applied' WHERE update_id IN (7, 8)")
    assert await inbox.fail(7, "NetworkError", NOW) is False
    assert await inbox.fail(8, "NetworkError", NOW) is False
    assert await inbox.due(NOW) == [], "both wait for their retry"
    await inbox.store([text_update(9)], NOW)
    due = await inbox.due(NOW)
    assert [(row.update_id, row.superseded) for row in due] == [(7, True)], (
        "7's effects are stored and its chat went on: it needs no answer of its own"
    )
    await inbox.finish(7, NOW)
    assert [(row.update_id, row.superseded) for row in await inbox.due(NOW)] == [(9, False)]
    later = NOW + timedelta(minutes=1)
    assert [row.update_id for row in await inbox.due(later)] == [8, 9], "8 is alone in its chat"


def test_the_chat_of_a_message_a_press_and_a_member_update() -> None:
    assert chat_of(text_update(1, 42)) == 42
    press = {
        "update_id": 2,
        "callback_query": {
            "id": "q",
            "from": {"id": 5},
            "message": {"message_id": 1, "chat": {"id": -100}},
        },
    }
    assert chat_of(press) == -100
    assert chat_of({"update_id": 3, "callback_query": {"id": "q", "from": {"id": 5}}}) == 5
    assert chat_of({"update_id": 4, "poll": {"id": "p"}}) is None


def test_only_telegram_being_unreachable_earns_the_longer_retries() -> None:
    from telegram.error import BadRequest, NetworkError, TimedOut

    outage = Handling(1)
    outage.fail(TimedOut())
    outage.fail(NetworkError("Bad Gateway"))
    assert outage.failed and outage.unreachable and outage.error == "TimedOut"
    refused = Handling(2)
    refused.fail(NetworkError("Bad Gateway"))
    refused.fail(BadRequest("message text is empty"))
    assert refused.failed and not refused.unreachable
    bug = Handling(3)
    bug.fail(KeyError("x"))
    assert not bug.unreachable


async def test_an_update_that_failed_on_an_outage_is_parked_later(db: Database) -> None:
    inbox = Inbox(db)
    await inbox.store([text_update(7)], NOW)
    for _ in range(MAX_ATTEMPTS):
        assert await inbox.fail(7, "TimedOut", NOW, limit=MAX_ATTEMPTS_UNREACHABLE) is False
    later = NOW
    for _ in range(MAX_ATTEMPTS, MAX_ATTEMPTS_UNREACHABLE - 1):
        later += timedelta(hours=1)
        assert await inbox.fail(7, "TimedOut", later, limit=MAX_ATTEMPTS_UNREACHABLE) is False
    assert await inbox.fail(7, "TimedOut", later, limit=MAX_ATTEMPTS_UNREACHABLE) is True


def test_retries_start_quickly_and_an_outage_is_waited_out_for_most_of_an_hour() -> None:
    waits = [RETRY_AFTER[min(n, len(RETRY_AFTER)) - 1] for n in range(1, 12)]
    assert waits[0] <= timedelta(seconds=1) and sum(waits[:3], timedelta()) <= timedelta(seconds=10)
    assert timedelta(minutes=40) <= sum(waits, timedelta()) <= timedelta(minutes=60)
