"""The outbox rule deletes finished rows nothing needs, replies first, and counts each one."""

from __future__ import annotations

from datetime import datetime, timedelta

from reports.retention import RecordKind, Removal, Tally
from storage.database import Database
from storage.outbox import OutboxRepository, OutgoingMessage, Priority
from storage.retention import clean_outbox
from tests.storage.builders import START

CUTOFF = START + timedelta(days=1)


def message(
    chat_id: int, *, reply_to_row: int | None = None, key: str | None = None
) -> OutgoingMessage:
    """Return a notice to a chat that belongs to no report."""
    return OutgoingMessage(
        chat_id=chat_id,
        method="sendMessage",
        params={"text": "bericht"},
        priority=Priority.NOTIFICATION,
        due_at=START,
        kind="unreachable",
        dedupe_key=key,
        reply_to_row=reply_to_row,
    )


async def send(outbox: OutboxRepository, row_id: int | None, at: datetime) -> int:
    """Claim and send a queued row at `at`; return its id."""
    assert row_id is not None
    claimed = await outbox.claim_due(at, 10)
    assert [row.id for row in claimed] == [row_id]
    assert await outbox.mark_sent(row_id, row_id + 500, at)
    return row_id


async def clean(db: Database, limit: int = 100) -> Tally:
    """Run the outbox rule as of CUTOFF in one transaction."""
    async with db.transaction() as session:
        return await clean_outbox(session, CUTOFF, limit)


async def left(db: Database) -> dict[int, str]:
    """Return the id and params of every outbox row left."""
    async with db.read() as session:
        rows = await session.fetch_all("SELECT id, params FROM outbox ORDER BY id")
    return {row[0]: row[1] for row in rows}


async def test_a_reply_and_the_row_it_replies_to_both_go_and_both_count(db: Database) -> None:
    outbox = OutboxRepository(db)
    parent = await send(outbox, await outbox.enqueue_now(message(-1)), START)
    await send(outbox, await outbox.enqueue_now(message(-1, reply_to_row=parent)), START)
    await send(outbox, await outbox.enqueue_now(message(-2, key="notice:1")), START)
    tally = await clean(db)
    assert tally.counts == {(RecordKind.OUTBOX, Removal.DELETED): 3}
    assert await left(db) == {}


async def test_a_row_a_pending_reply_waits_for_loses_only_its_text(db: Database) -> None:
    outbox = OutboxRepository(db)
    parent = await send(outbox, await outbox.enqueue_now(message(-1)), START)
    later = message(-1, reply_to_row=parent).model_copy(
        update={"due_at": CUTOFF + timedelta(days=1)}
    )
    waiting = await outbox.enqueue_now(later)
    tally = await clean(db)
    assert tally.counts == {(RecordKind.OUTBOX, Removal.EMPTIED): 1}
    assert await left(db) == {parent: "{}", waiting: '{"text":"bericht"}'}
    assert (await clean(db)).handled == 0


async def test_rows_finished_after_the_cutoff_are_left_alone(db: Database) -> None:
    outbox = OutboxRepository(db)
    recent = await send(outbox, await outbox.enqueue_now(message(-1)), CUTOFF + timedelta(days=1))
    assert (await clean(db)).handled == 0
    assert await left(db) == {recent: '{"text":"bericht"}'}


async def test_a_small_limit_is_respected(db: Database) -> None:
    outbox = OutboxRepository(db)
    for chat in (-1, -2, -3):
        await send(outbox, await outbox.enqueue_now(message(chat)), START)
    first = await clean(db, limit=2)
    assert first.handled == 2 and len(await left(db)) == 1
    assert (await clean(db, limit=2)).handled == 1 and await left(db) == {}
