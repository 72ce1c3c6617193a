"""The outbox: scheduling exactly once, claiming in order, one row per chat, recovery."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from reports.schedule import is_proactive
from storage.database import Database
from storage.drafts import DraftRepository
from storage.outbox import Instead, OutboxRepository, OutboxStatus, OutgoingMessage, Priority
from storage.reports import ReportRepository
from tests.storage.builders import START, complete_draft

LATER = START + timedelta(hours=1)


@pytest.fixture
def outbox(db: Database) -> OutboxRepository:
    """Return the outbox repository on the test database."""
    return OutboxRepository(db)


def message(
    chat_id: int = 1001,
    text: str = "hallo",
    *,
    priority: int | None = None,
    due_at: datetime = START,
    **extra: Any,
) -> OutgoingMessage:
    """Return a sendMessage to schedule (proactive kinds as bulk, others as notifications)."""
    kind = extra.pop("kind", "test")
    if priority is None:
        priority = Priority.BULK if is_proactive(kind) else Priority.NOTIFICATION
    return OutgoingMessage(
        chat_id=chat_id,
        method="sendMessage",
        params={"text": text},
        priority=priority,
        due_at=due_at,
        kind=kind,
        **extra,
    )


async def claim_texts(
    outbox: OutboxRepository, now: datetime = START, limit: int = 10
) -> list[str]:
    """Claim due rows and return their texts in claim order."""
    return [row.params["text"] for row in await outbox.claim_due(now, limit)]


async def report_id(drafts: DraftRepository, reports: ReportRepository, user_id: int) -> int:
    """Store a report and return its id."""
    draft = complete_draft(user_id)
    await drafts.save(draft)
    return (await reports.commit_draft(draft, prefix="ENS", now=START)).id


async def test_a_row_enqueued_in_a_transaction_that_fails_is_gone_with_it(
    db: Database, outbox: OutboxRepository
) -> None:
    with pytest.raises(RuntimeError, match="report failed"):
        async with db.transaction() as session:
            assert await outbox.enqueue(session, message()) is not None
            raise RuntimeError("report failed")
    assert await outbox.pending_count() == 0
    assert await outbox.claim_due(LATER, 10) == []


async def test_rows_enqueued_in_one_transaction_commit_together(
    db: Database, outbox: OutboxRepository
) -> None:
    async with db.transaction() as session:
        first = await outbox.enqueue(session, message(text="tekst"))
        assert first is not None
        pin = message(text="pin", reply_to_row=first)
        second = await outbox.enqueue(session, pin)
    assert second is not None
    stored = await outbox.get(second)
    assert stored is not None
    assert stored.status is OutboxStatus.PENDING
    assert stored.reply_to_row == first
    assert stored.attempts == 0
    assert stored.created_at == START
    assert await outbox.pending_count() == 2


async def test_scheduling_the_same_dedupe_key_twice_keeps_one_row(
    outbox: OutboxRepository,
) -> None:
    first = await outbox.enqueue_now(message(text="één", dedupe_key="tip:ENS-1"))
    again = await outbox.enqueue_now(message(text="twee", dedupe_key="tip:ENS-1"))
    assert first is not None
    assert again is None
    assert await claim_texts(outbox) == ["één"]
    row = await outbox.get_by_dedupe_key("tip:ENS-1")
    assert row is not None and row.id == first


async def test_a_dedupe_key_stays_spent_after_its_row_was_sent_or_cancelled(
    outbox: OutboxRepository,
) -> None:
    sent = await outbox.enqueue_now(message(dedupe_key="a"))
    await outbox.enqueue_now(message(chat_id=2002, dedupe_key="b"))
    assert sent is not None
    await outbox.claim_due(START, 1)
    assert await outbox.mark_sent(sent, 77, START)
    assert await outbox.cancel(START, dedupe_key="b") == 1
    assert await outbox.enqueue_now(message(dedupe_key="a")) is None
    assert await outbox.enqueue_now(message(dedupe_key="b")) is None


async def test_due_rows_are_claimed_by_priority_then_due_time_then_id(
    outbox: OutboxRepository,
) -> None:
    early = START - timedelta(minutes=5)
    await outbox.enqueue_now(message(1, "bulk", priority=Priority.BULK, due_at=early))
    await outbox.enqueue_now(message(2, "notification late", due_at=START))
    await outbox.enqueue_now(message(3, "notification early", due_at=early))
    await outbox.enqueue_now(message(4, "reply", priority=Priority.REPLY, due_at=START))
    await outbox.enqueue_now(message(5, "notification late too", due_at=START))
    await outbox.enqueue_now(message(6, "not yet due", due_at=LATER))
    assert await claim_texts(outbox) == [
        "reply",
        "notification early",
        "notification late",
        "notification late too",
        "bulk",
    ]


async def test_a_claim_marks_rows_sending_counts_the_attempt_and_respects_the_limit(
    outbox: OutboxRepository,
) -> None:
    for chat in range(1, 6):
        await outbox.enqueue_now(message(chat, f"m{chat}"))
    claimed = await outbox.claim_due(START, 3)
    assert [row.params["text"] for row in claimed] == ["m1", "m2", "m3"]
    assert all(row.status is OutboxStatus.SENDING and row.attempts == 1 for row in claimed)
    assert await claim_texts(outbox) == ["m4", "m5"]
    assert await outbox.claim_due(START, 3) == []
    assert await outbox.claim_due(START, 0) == []


async def test_a_chat_gets_one_row_at_a_time_in_id_order(outbox: OutboxRepository) -> None:
    await outbox.enqueue_now(message(1001, "eerste", priority=Priority.BULK))
    await outbox.enqueue_now(message(1001, "tweede", priority=Priority.REPLY))
    await outbox.enqueue_now(message(2002, "ander"))
    claimed = await outbox.claim_due(START, 10)
    assert [row.params["text"] for row in claimed] == ["ander", "eerste"]
    assert await outbox.claim_due(START, 10) == [], "tweede waits while eerste is sending"
    first = next(row for row in claimed if row.chat_id == 1001)
    assert await outbox.mark_sent(first.id, 1, START)
    assert await claim_texts(outbox) == ["tweede"]


async def test_a_row_due_later_does_not_hold_up_a_newer_row_that_is_due(
    outbox: OutboxRepository,
) -> None:
    await outbox.enqueue_now(message(1001, "follow-up", due_at=LATER))
    await outbox.enqueue_now(message(1001, "reply now", due_at=START))
    assert await claim_texts(outbox) == ["reply now"]


async def test_a_row_waiting_for_its_retry_holds_up_the_rest_of_its_chat(
    outbox: OutboxRepository,
) -> None:
    first = await outbox.enqueue_now(message(1001, "eerste"))
    await outbox.enqueue_now(message(1001, "tweede"))
    assert first is not None
    await outbox.claim_due(START, 10)
    retry_at = START + timedelta(seconds=30)
    assert await outbox.reschedule(first, retry_at, "NetworkError: Bad Gateway")
    assert await outbox.claim_due(START + timedelta(seconds=29), 10) == []
    assert await claim_texts(outbox, retry_at) == ["eerste"]
    row = await outbox.get(first)
    assert row is not None
    assert row.attempts == 2
    assert row.last_error == "NetworkError: Bad Gateway"


async def test_a_reply_waits_until_the_row_it_replies_to_is_sent(
    outbox: OutboxRepository,
) -> None:
    parent = await outbox.enqueue_now(message(-100, "melding", due_at=LATER))
    assert parent is not None
    child = await outbox.enqueue_now(message(-100, "foto's", reply_to_row=parent))
    assert child is not None
    assert await outbox.claim_due(START, 10) == [], "the reply waits for a message to reply to"
    assert await claim_texts(outbox, LATER) == ["melding"]
    assert await outbox.claim_due(LATER, 10) == []
    assert await outbox.mark_sent(parent, 41, LATER)
    [reply] = await outbox.claim_due(LATER, 10)
    assert reply.id == child
    assert reply.reply_to_message_id == 41
    assert reply.reply_to_chat_id == -100


async def test_a_reply_to_a_failed_row_fails_and_a_reply_to_a_cancelled_row_is_cancelled(
    outbox: OutboxRepository,
) -> None:
    failing = await outbox.enqueue_now(message(1, "kapot"))
    cancelled = await outbox.enqueue_now(message(2, "weg", due_at=LATER, dedupe_key="weg"))
    assert failing is not None and cancelled is not None
    orphan = await outbox.enqueue_now(message(1, "antwoord", reply_to_row=failing))
    grandchild = await outbox.enqueue_now(message(1, "en verder", reply_to_row=orphan))
    stray = await outbox.enqueue_now(message(2, "ook weg", reply_to_row=cancelled))
    assert orphan is not None and grandchild is not None and stray is not None
    await outbox.claim_due(START, 10)
    assert await outbox.mark_failed(failing, "BadRequest: can't parse entities", START)
    assert await outbox.cancel(START, dedupe_key="weg") == 1
    assert await outbox.claim_due(LATER, 10) == []
    statuses = {
        row_id: row.status
        for row_id in (orphan, grandchild, stray)
        if (row := await outbox.get(row_id)) is not None
    }
    assert statuses == {
        orphan: OutboxStatus.FAILED,
        grandchild: OutboxStatus.FAILED,
        stray: OutboxStatus.CANCELLED,
    }
    assert await outbox.pending_count() == 0


async def test_recovery_puts_back_rows_left_sending_and_leaves_pending_ones_alone(
    outbox: OutboxRepository,
) -> None:
    untried = await outbox.enqueue_now(message(1, "wachtte op de limiter"))
    on_wire = await outbox.enqueue_now(message(2, "onderweg"))
    waiting = await outbox.enqueue_now(message(3, "wacht", due_at=LATER))
    assert untried is not None and on_wire is not None and waiting is not None
    await outbox.claim_due(START, 10)
    assert await outbox.start_request(on_wire, START)
    restart = START + timedelta(minutes=2)
    recovered = await outbox.recover_interrupted(restart)
    assert (recovered.untried, recovered.interrupted) == ((untried,), (on_wire,))
    first, second, third = [await outbox.get(row_id) for row_id in (untried, on_wire, waiting)]
    assert first is not None and second is not None and third is not None
    assert (first.status, first.attempts, first.uncertain, first.last_error) == (
        OutboxStatus.PENDING,
        0,
        False,
        None,
    ), "a row whose request never started goes back untried and unmarked"
    assert (second.status, second.attempts, second.uncertain) == (OutboxStatus.PENDING, 1, True)
    assert second.next_attempt_at == restart and second.request_started_at is None
    assert second.last_error is not None and "may have been delivered" in second.last_error
    assert (third.status, third.last_error) == (OutboxStatus.PENDING, None)
    assert (await outbox.recover_interrupted(restart)).ids == []
    assert await claim_texts(outbox, restart) == ["wachtte op de limiter", "onderweg"]


async def test_a_request_that_may_have_arrived_makes_the_row_uncertain_and_audits_its_report(
    db: Database, outbox: OutboxRepository, drafts: DraftRepository, reports: ReportRepository
) -> None:
    report = await report_id(drafts, reports, 1001)
    row_id = await outbox.enqueue_now(message(-100, "melding", report_id=report))
    assert row_id is not None
    await outbox.claim_due(START, 10)
    assert await outbox.start_request(row_id, START)
    retry_at = START + timedelta(seconds=2)
    assert await outbox.retry_unknown(row_id, retry_at, "TimedOut: Timed out", START)
    [row] = await outbox.claim_due(retry_at, 10)
    assert (row.uncertain, row.uncertain_resends, row.attempts) == (True, 0, 2)
    assert await outbox.start_request(row_id, retry_at, resend=True)
    assert await outbox.mark_sent(row_id, 77, retry_at)
    sent = await outbox.get(row_id)
    assert sent is not None
    assert (sent.status, sent.uncertain, sent.uncertain_resends) == (OutboxStatus.SENT, True, 1)
    assert sent.request_started_at is None
    async with db.read() as session:
        events = await session.fetch_all(
            "SELECT actor, action, detail FROM report_events WHERE report_id = ?"
            " AND action = 'delivery_uncertain'",
            (report,),
        )
    assert [tuple(event) for event in events] == [
        ("system", "delivery_uncertain", "test: TimedOut: Timed out")
    ]
    counts = await outbox.delivery_counts()
    assert (counts.sent, counts.uncertain_rows, counts.uncertain_resends) == (1, 1, 1)


async def test_an_edit_without_an_answer_is_retried_but_never_uncertain(
    outbox: OutboxRepository,
) -> None:
    edit = message(-100, "bewerkt").model_copy(
        update={"method": "editMessageText", "params": {"message_id": 5, "text": "bewerkt"}}
    )
    row_id = await outbox.enqueue_now(edit)
    assert row_id is not None
    await outbox.claim_due(START, 10)
    assert await outbox.retry_unknown(row_id, START, "NetworkError: Bad Gateway", START)
    row = await outbox.get(row_id)
    assert row is not None and (row.status, row.uncertain) == (OutboxStatus.PENDING, False)


async def test_a_released_row_goes_back_untried(outbox: OutboxRepository) -> None:
    row_id = await outbox.enqueue_now(message())
    assert row_id is not None
    await outbox.claim_due(START, 10)
    assert await outbox.release(row_id)
    row = await outbox.get(row_id)
    assert row is not None
    assert (row.status, row.attempts, row.last_error) == (OutboxStatus.PENDING, 0, None)


async def test_outcomes_are_recorded_only_for_rows_that_are_sending(
    outbox: OutboxRepository,
) -> None:
    row_id = await outbox.enqueue_now(message())
    assert row_id is not None
    assert not await outbox.mark_sent(row_id, 5, START)
    assert not await outbox.reschedule(row_id, LATER, "late")
    assert not await outbox.mark_failed(row_id, "no", START)
    await outbox.claim_due(START, 10)
    sent_at = START + timedelta(seconds=1)
    assert await outbox.mark_sent(row_id, 5, sent_at)
    assert not await outbox.mark_sent(row_id, 6, sent_at), "a row is recorded sent once"
    row = await outbox.get(row_id)
    assert row is not None
    assert (row.status, row.message_id, row.sent_at) == (OutboxStatus.SENT, 5, sent_at)
    assert row.finished_at == sent_at
    assert await outbox.pending_count() == 0


async def test_cancel_matches_every_given_filter_and_only_pending_rows(
    drafts: DraftRepository, reports: ReportRepository, outbox: OutboxRepository
) -> None:
    report = await report_id(drafts, reports, 1001)
    other = await report_id(drafts, reports, 1002)
    for kind in ("followup.ask", "followup.repeat", "survey.start"):
        await outbox.enqueue_now(message(kind=kind, report_id=report, due_at=LATER))
    await outbox.enqueue_now(message(3003, kind="followup.ask", report_id=other, due_at=LATER))
    sending = await outbox.enqueue_now(message(2002, kind="followup.now", report_id=report))
    await outbox.claim_due(START, 10)
    assert await outbox.cancel(START, report_id=report, kind="followup.*") == 1 + 1
    assert await outbox.pending_count() == 3
    row = await outbox.get(sending or 0)
    assert row is not None and row.status is OutboxStatus.SENDING
    left = {(r.report_id, r.kind) for r in await outbox.claim_due(LATER, 10)}
    assert left == {(report, "survey.start"), (other, "followup.ask")}
    with pytest.raises(ValueError, match="at least one filter"):
        await outbox.cancel(START)


async def test_cancel_runs_inside_the_callers_transaction(
    db: Database, outbox: OutboxRepository
) -> None:
    await outbox.enqueue_now(message(dedupe_key="x", due_at=LATER))
    with pytest.raises(RuntimeError):
        async with db.transaction() as session:
            assert await outbox.cancel(START, dedupe_key="x", session=session) == 1
            raise RuntimeError("resolve failed")
    assert await outbox.pending_count() == 1


async def test_erasing_a_resident_removes_their_rows_and_scrubs_their_reports_rows(
    db: Database, drafts: DraftRepository, reports: ReportRepository, outbox: OutboxRepository
) -> None:
    report = await report_id(drafts, reports, 1001)
    await outbox.enqueue_now(message(1001, "uw melding"))
    partner = await outbox.enqueue_now(message(-100, "beschrijving", report_id=report))
    kept = await outbox.enqueue_now(message(1002, "iemand anders"))
    assert partner is not None and kept is not None
    async with db.transaction() as session:
        assert await outbox.erase_resident(session, 1001, START) == 2
    scrubbed = await outbox.get(partner)
    assert scrubbed is not None
    assert scrubbed.params == {}
    assert scrubbed.status is OutboxStatus.CANCELLED
    assert await claim_texts(outbox) == ["iemand anders"]


async def test_deleting_a_report_deletes_its_rows(
    db: Database, drafts: DraftRepository, reports: ReportRepository, outbox: OutboxRepository
) -> None:
    report = await report_id(drafts, reports, 1001)
    await outbox.enqueue_now(message(-100, "melding", report_id=report))
    async with db.transaction() as session:
        await session.execute("DELETE FROM reports WHERE id = ?", (report,))
    assert await outbox.pending_count() == 0


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        ({"method": "send message"}, "Bot API method"),
        ({"due_at": datetime(2026, 3, 1, 9, 30)}, "naive"),
        ({"params": {"text": "x", "chat_id": 5}}, "chat_id"),
        ({"params": {"when": START}}, "plain JSON"),
        ({"params": {"ratio": float("nan")}}, "plain JSON"),
        ({"reply_to_row": 1, "params": {"reply_parameters": {"message_id": 1}}}, "either"),
        ({"priority": -1}, "greater than or equal"),
    ],
)
def test_an_outgoing_message_refuses_what_cannot_be_stored_or_sent(
    change: dict[str, Any], complaint: str
) -> None:
    fields: dict[str, Any] = {
        "chat_id": 1001,
        "method": "sendMessage",
        "params": {"text": "x"},
        "priority": 0,
        "due_at": datetime(2026, 3, 1, tzinfo=UTC),
        "kind": "test",
    }
    with pytest.raises(ValidationError, match=complaint):
        OutgoingMessage.model_validate({**fields, **change})


async def test_a_refused_row_with_a_stand_in_becomes_that_call_and_goes_again(
    outbox: OutboxRepository,
) -> None:
    edit = OutgoingMessage(
        chat_id=1001,
        method="editMessageText",
        params={"message_id": 5, "text": "samenvatting + nummer", "parse_mode": "HTML"},
        priority=Priority.REPLY,
        due_at=START,
        kind="resident.confirmation",
        instead=Instead(method="sendMessage", params={"text": "nummer", "parse_mode": "HTML"}),
    )
    row_id = await outbox.enqueue_now(edit)
    plain = await outbox.enqueue_now(message(chat_id=1002))
    assert row_id is not None and plain is not None
    claimed = {row.id: row for row in await outbox.claim_due(START, 10)}
    assert claimed[row_id].instead is not None and claimed[plain].instead is None
    assert await outbox.take_instead(row_id, "message to edit not found", LATER)
    assert not await outbox.take_instead(plain, "refused", LATER)  # none: it simply fails
    row = await outbox.get(row_id)
    assert row is not None and row.status is OutboxStatus.PENDING
    assert (row.method, row.params, row.instead) == (
        "sendMessage",
        {"text": "nummer", "parse_mode": "HTML"},
        None,
    )
    assert "message to edit not found" in (row.last_error or "")
    (again,) = await outbox.claim_due(LATER, 10)
    assert again.id == row_id and again.method == "sendMessage"
    assert not await outbox.take_instead(row_id, "refused again", LATER)  # only once
