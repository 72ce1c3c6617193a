"""Keep everything the bot must send as outbox rows, so nothing is lost or scheduled twice.

A row is one Bot API call (method and rendered parameters) to one chat. Its life::

    pending ──claim_due──▶ sending ──start_request──▶ sending, on the wire
       ▲                     │                           ├──mark_sent──▶ sent
       ├──release────────────┘ (never started)           ├──mark_failed──▶ failed
       ├──reschedule (refused: 4xx, 429)─────────────────┤
       ├──retry_unknown (no telling answer: uncertain)───┤
       └──recover_interrupted (a crash; uncertain)───────┘
    pending ──cancel──▶ cancelled
    pending ──claim_due, too late (proactive only)──▶ expired

Proactive rows (follow-ups, surveys, tips, digests: see `reports.schedule`) are bulk rows that
`claim_due` holds to a `SendPolicy`: one that falls due inside the quiet hours is moved to their
end, and one that fell due longer ago than the grace period (the bot was down) is expired instead
of sent. Partner notifications and replies are never moved or expired.

Delivery is at least once, and a second copy only ever follows an attempt whose outcome is
unknown: `start_request` commits just before the request goes on the wire, the outcome is
committed right after it, and a row whose request got no answer (or that a crash left on the
wire) becomes *uncertain* (see `storage.delivery`): it is sent again, marked as a possible
repeat. A row recorded sent is never sent again. Scheduling is exactly once per `dedupe_key`.

Longer than 300 lines because the SQL of every step of the life cycle above belongs together:
the claim, the quiet hours and the recovery only make sense side by side.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum, StrEnum
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from reports.schedule import SendPolicy, is_proactive, proactive_patterns
from storage.database import Database, Session
from storage.delivery import DeliveryCounts, delivery_counts, note_uncertain, reader_language
from storage.handling import current
from storage.timestamps import as_utc, from_text, to_text

_METHOD = re.compile(r"[a-z][A-Za-z]{2,63}")
_ERROR_CHARS = 500
_INTERRUPTED = "interrupted while sending; it may have been delivered already"

_COLUMNS = (
    "o.id, o.chat_id, o.method, o.params, o.priority, o.due_at, o.status, o.attempts,"
    " o.next_attempt_at, o.last_error, o.message_id, o.kind, o.report_id, o.dedupe_key,"
    " o.reply_to_row, o.created_at, o.sent_at, o.finished_at, o.album_ids,"
    " o.request_started_at, o.uncertain, o.uncertain_resends, o.instead,"
    " r.message_id AS reply_to_message_id, r.chat_id AS reply_to_chat_id,"
    " r.album_ids AS reply_to_album_ids"
)
_FROM = "FROM outbox AS o LEFT JOIN outbox AS r ON r.id = o.reply_to_row"


NEXT_DUE = (
    "SELECT o.id FROM outbox AS o"
    " WHERE o.status = 'pending' AND o.due_at <= ?1 AND o.next_attempt_at <= ?1"
    " AND NOT EXISTS (SELECT 1 FROM outbox AS s"
    "  WHERE s.chat_id = o.chat_id AND s.status = 'sending')"
    " AND NOT EXISTS (SELECT 1 FROM outbox AS e WHERE e.chat_id = o.chat_id"
    "  AND e.status = 'pending' AND e.id < o.id AND e.due_at <= ?1)"
    " AND (o.reply_to_row IS NULL OR EXISTS (SELECT 1 FROM outbox AS p"
    "  WHERE p.id = o.reply_to_row AND p.status = 'sent'))"
    " ORDER BY o.priority, o.due_at, o.id LIMIT ?2"
)
"""The rows the dispatcher may send next: due, their chat idle, earlier rows of the chat sent."""


class Priority(IntEnum):
    """How urgent a row is; lower goes first."""

    REPLY = 0
    NOTIFICATION = 10
    BULK = 20


class OutboxStatus(StrEnum):
    """Where a row stands (the values are stored in SQLite)."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


def bot_api_method(method: str) -> str:
    """Accept Bot API method names such as sendMessage (a field validator)."""
    if _METHOD.fullmatch(method) is None:
        raise ValueError(f"not a Bot API method name: {method!r}")
    return method


MethodName = Annotated[str, AfterValidator(bot_api_method)]


class Instead(BaseModel):
    """The call to make in a row's place when Telegram refuses the row's own for good."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    method: MethodName
    params: dict[str, Any]


class OutgoingMessage(BaseModel):
    """A Bot API call to schedule: method, rendered parameters, chat, priority and due time.

    `params` are the call's parameters as Telegram's JSON expects them (reply_markup as an
    object), without `chat_id` (it is added at send time) and without `reply_parameters` when
    `reply_to_row` is given: the reply target is the message that row produced, resolved when
    this row is sent, and this row waits until that one is sent. For a call that acts on a
    message (an edit, `deleteMessage`, `deleteMessages`) `reply_to_row` names that message
    instead: its id (or an album's ids) becomes the call's `message_id` (`message_ids`).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    chat_id: int
    method: MethodName
    params: dict[str, Any]
    priority: int = Field(ge=0)
    due_at: datetime
    kind: str = Field(min_length=1, max_length=100)
    report_id: int | None = None
    dedupe_key: str | None = Field(default=None, min_length=1, max_length=200)
    reply_to_row: int | None = None
    instead: Instead | None = None
    """Made in this row's place when Telegram refuses its call for good (an edit of a message
    that is gone): the row becomes this call and goes again."""

    @field_validator("due_at")
    @classmethod
    def _aware(cls, moment: datetime) -> datetime:
        """Refuse naive datetimes and keep UTC."""
        return as_utc(moment)

    @model_validator(mode="after")
    def _storable_params(self) -> OutgoingMessage:
        """Refuse parameters that JSON cannot hold or that contradict the row's own fields."""
        try:
            json.dumps(self.params, allow_nan=False)
        except (TypeError, ValueError) as bad:
            raise ValueError(f"params must be plain JSON: {bad}") from bad
        if "chat_id" in self.params and self.params["chat_id"] != self.chat_id:
            raise ValueError("params.chat_id differs from chat_id; leave it out of params")
        if self.reply_to_row is not None and "reply_parameters" in self.params:
            raise ValueError("give either reply_to_row or params.reply_parameters, not both")
        if is_proactive(self.kind) and self.priority != Priority.BULK:
            raise ValueError(f"proactive rows ({self.kind}) must have bulk priority")
        return self


class OutboxRow(BaseModel):
    """A stored outbox row, with the message id of the row it replies to once that is sent."""

    model_config = ConfigDict(frozen=True)

    id: int
    chat_id: int
    method: str
    params: dict[str, Any]
    priority: int
    due_at: datetime
    status: OutboxStatus
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    message_id: int | None
    kind: str
    report_id: int | None
    dedupe_key: str | None
    reply_to_row: int | None
    created_at: datetime
    sent_at: datetime | None
    finished_at: datetime | None
    request_started_at: datetime | None = None
    """Set while the current attempt's request is on the wire (committed before it left)."""
    uncertain: bool = False
    """An earlier attempt may have delivered the message: a new copy is a marked repeat."""
    uncertain_resends: int = 0
    album_ids: list[int] | None = None
    """Every message id of an album the row sent (message_id is the first); None otherwise."""
    instead: Instead | None = None
    """The call to make in this row's place when Telegram refuses its own for good."""
    reply_to_message_id: int | None = None
    reply_to_chat_id: int | None = None
    reply_to_album_ids: list[int] | None = None


@dataclass(frozen=True)
class Recovered:
    """The rows a crash left sending: untried ones, and ones interrupted mid-request."""

    untried: tuple[int, ...] = ()
    interrupted: tuple[int, ...] = ()

    @property
    def ids(self) -> list[int]:
        """Return every recovered row's id, in order."""
        return sorted(self.untried + self.interrupted)


class OutboxRepository:
    """Write outbox rows, hand due ones to the dispatcher and record what happened to them."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def enqueue(
        self, session: Session, message: OutgoingMessage, *, now: datetime | None = None
    ) -> int | None:
        """Add a row inside the caller's transaction (see `enqueue_row`)."""
        return await enqueue_row(session, message, now=now)

    async def enqueue_now(
        self, message: OutgoingMessage, *, now: datetime | None = None
    ) -> int | None:
        """Add a row in its own transaction; return its id, or None for a known key."""
        async with self._db.transaction() as session:
            return await self.enqueue(session, message, now=now)

    async def claim_due(
        self, now: datetime, limit: int, *, policy: SendPolicy | None = None
    ) -> list[OutboxRow]:
        """Mark up to `limit` due rows as sending and return them, most urgent first.

        Urgency is priority, then due time, then id. Per chat only the oldest due pending row
        is eligible, and only while no other row of that chat is sending, so each chat's rows go
        out one at a time in id order. A row that replies to another waits until that one is
        sent; if that one failed or was cancelled, the reply fails or is cancelled with it.
        Each claim counts as an attempt. With a `policy`, proactive rows that fell due too long
        ago are expired first, and during quiet hours the due ones are moved to their end.
        """
        if limit <= 0:
            return []
        stamp = to_text(now)
        async with self._db.transaction() as session:
            if policy is not None:
                await _hold_proactive(session, now, policy)
            await _drop_orphaned_replies(session, stamp)
            ids = [int(row[0]) for row in await session.fetch_all(NEXT_DUE, (stamp, limit))]
            if not ids:
                return []
            marks = ", ".join("?" for _ in ids)
            session.add(
                "UPDATE outbox SET status = 'sending', attempts = attempts + 1"
                f" WHERE id IN ({marks})",
                ids,
            )
            rows = await session.fetch_all(
                f"SELECT {_COLUMNS} {_FROM} WHERE o.id IN ({marks})"
                " ORDER BY o.priority, o.due_at, o.id",
                ids,
            )
        return [_row(row) for row in rows]

    async def start_request(self, row_id: int, now: datetime, *, resend: bool = False) -> bool:
        """Record that the row's request goes on the wire now (a resend: counted as one).

        Committed before the request leaves, so a crash before it is known to have left no
        doubt, and a crash after it is known to have left one. False if the row is not sending.
        """
        async with self._db.transaction() as session:
            changed = session.add(
                "UPDATE outbox SET request_started_at = ?,"
                " uncertain_resends = uncertain_resends + ?"
                " WHERE id = ? AND status = 'sending'",
                (to_text(now), int(resend), row_id),
            )
        return changed.rowcount == 1

    async def mark_sent(
        self,
        row_id: int,
        message_id: int | None,
        now: datetime,
        *,
        album_ids: Sequence[int] | None = None,
    ) -> bool:
        """Record that Telegram accepted the row's call; False if the row was not sending.

        `album_ids` are the ids of every message an album produced, kept so that each can be
        deleted later (ids of one album are not reliably consecutive).
        """
        stamp = to_text(now)
        album = None if not album_ids else json.dumps([int(i) for i in album_ids])
        async with self._db.transaction() as session:
            changed = session.add(
                "UPDATE outbox SET status = 'sent', message_id = ?, album_ids = ?, sent_at = ?,"
                " finished_at = ?, request_started_at = NULL WHERE id = ? AND status = 'sending'",
                (message_id, album, stamp, stamp, row_id),
            )
        return changed.rowcount == 1

    async def reschedule(self, row_id: int, at: datetime, error: str) -> bool:
        """Put back a row that Telegram certainly did not deliver, to be tried again at `at`."""
        async with self._db.transaction() as session:
            return await _put_back(session, row_id, at, error)

    async def retry_unknown(self, row_id: int, at: datetime, error: str, now: datetime) -> bool:
        """Put back a row whose request got no telling answer: it may have been delivered.

        The row becomes uncertain (when its call makes a message: see `storage.delivery`), its
        report's audit trail says so, and it is tried again at `at` as a marked repeat.
        """
        async with self._db.transaction() as session:
            if not await _put_back(session, row_id, at, error):
                return False
            await note_uncertain(session, row_id, now, error)
        return True

    async def take_instead(self, row_id: int, error: str, now: datetime) -> bool:
        """Make a refused row its `instead` call, due at once; False if it has none (or is not
        sending)."""
        async with self._db.transaction() as session:
            changed = session.add(
                "UPDATE outbox SET method = json_extract(instead, '$.method'),"
                " params = json(json_extract(instead, '$.params')), instead = NULL,"
                " status = 'pending', next_attempt_at = ?, last_error = ?,"
                " request_started_at = NULL"
                " WHERE id = ? AND status = 'sending' AND instead IS NOT NULL",
                (to_text(now), _clip(f"refused, sent instead: {error}"), row_id),
            )
        return changed.rowcount == 1

    async def release(self, row_id: int) -> bool:
        """Put a sending row back untried (its call never started), without counting it."""
        async with self._db.transaction() as session:
            changed = await session.execute(
                "UPDATE outbox SET status = 'pending', attempts = max(attempts - 1, 0),"
                " request_started_at = NULL WHERE id = ? AND status = 'sending'",
                (row_id,),
            )
        return changed == 1

    async def mark_failed(
        self, row_id: int, error: str, now: datetime, *, maybe_delivered: bool = False
    ) -> bool:
        """Give up on a sending row for good; rows replying to it fail at the next claim.

        With `maybe_delivered` (the last attempt got no telling answer) the row is uncertain.
        """
        stamp = to_text(now)
        async with self._db.transaction() as session:
            changed = await session.execute(
                "UPDATE outbox SET status = 'failed', last_error = ?, finished_at = ?,"
                " request_started_at = NULL WHERE id = ? AND status = 'sending'",
                (_clip(error), stamp, row_id),
            )
            if changed == 1 and maybe_delivered:
                await note_uncertain(session, row_id, now, error)
        return changed == 1

    async def recover_interrupted(self, now: datetime) -> Recovered:
        """Put back the rows a crash left sending, due at once; return which ones.

        A row whose request had not started (it waited for the rate limiter) goes back untried.
        A row whose request was on the wire may have been delivered in the moment before the
        crash, while its outcome was not recorded yet: Telegram has no idempotency key, so it
        is sent again as an uncertain resend (marked, audited, counted; see `storage.delivery`),
        because losing a partner notification is worse than showing it twice, recognisably.
        A graceful stop leaves no row sending: untried rows are released, calls in flight are
        awaited.
        """
        async with self._db.transaction() as session:
            rows = await session.fetch_all(
                "SELECT id, request_started_at IS NOT NULL AS on_wire FROM outbox"
                " WHERE status = 'sending' ORDER BY id"
            )
            untried = tuple(int(row["id"]) for row in rows if not row["on_wire"])
            on_wire = tuple(int(row["id"]) for row in rows if row["on_wire"])
            for row_id in untried:
                await session.execute(
                    "UPDATE outbox SET status = 'pending', attempts = max(attempts - 1, 0)"
                    " WHERE id = ?",
                    (row_id,),
                )
            for row_id in on_wire:
                await _put_back(session, row_id, now, _INTERRUPTED)
                await note_uncertain(session, row_id, now, _INTERRUPTED)
        return Recovered(untried=untried, interrupted=on_wire)

    async def delivery_counts(self) -> DeliveryCounts:
        """Return how many rows were sent and failed, and how many were uncertain and resent."""
        async with self._db.read() as session:
            return await delivery_counts(session)

    async def reader_language(self, chat_id: int, report_id: int | None) -> str | None:
        """Return the language code a resident's chat is written to in, if one is stored."""
        async with self._db.read() as session:
            return await reader_language(session, chat_id, report_id)

    async def get(self, row_id: int) -> OutboxRow | None:
        """Return the row with this id, or None."""
        async with self._db.read() as session:
            row = await session.fetch_one(f"SELECT {_COLUMNS} {_FROM} WHERE o.id = ?", (row_id,))
        return None if row is None else _row(row)

    async def get_by_dedupe_key(self, dedupe_key: str) -> OutboxRow | None:
        """Return the row scheduled under this key, or None."""
        async with self._db.read() as session:
            row = await session.fetch_one(
                f"SELECT {_COLUMNS} {_FROM} WHERE o.dedupe_key = ?", (dedupe_key,)
            )
        return None if row is None else _row(row)

    async def pending_count(self) -> int:
        """Return how many rows still wait to be sent (pending or sending)."""
        async with self._db.read() as session:
            value = await session.fetch_value(
                "SELECT count(*) FROM outbox WHERE status IN ('pending', 'sending')"
            )
        return int(value)

    async def cancel(
        self,
        now: datetime,
        *,
        dedupe_key: str | None = None,
        report_id: int | None = None,
        kind: str | None = None,
        chat_id: int | None = None,
        session: Session | None = None,
    ) -> int:
        """Cancel pending rows matching every given filter; return how many (see `cancel_rows`)."""
        if session is not None:
            return await cancel_rows(
                session,
                now,
                dedupe_key=dedupe_key,
                report_id=report_id,
                kind=kind,
                chat_id=chat_id,
            )
        async with self._db.transaction() as own:
            return await self.cancel(
                now,
                dedupe_key=dedupe_key,
                report_id=report_id,
                kind=kind,
                chat_id=chat_id,
                session=own,
            )

    async def cancel_proactive(
        self,
        now: datetime,
        *,
        chat_id: int | None = None,
        report_id: int | None = None,
        session: Session | None = None,
    ) -> int:
        """Cancel the pending proactive rows of a chat or a report; return how many."""
        if chat_id is None and report_id is None:
            raise ValueError("cancel_proactive needs a chat_id or a report_id")
        if session is None:
            async with self._db.transaction() as own:
                return await self.cancel_proactive(
                    now, chat_id=chat_id, report_id=report_id, session=own
                )
        return sum(
            [
                await self.cancel(
                    now, chat_id=chat_id, report_id=report_id, kind=pattern, session=session
                )
                for pattern in proactive_patterns()
            ]
        )

    async def erase_resident(self, session: Session, user_id: int, now: datetime) -> int:
        """Remove a resident's rows inside the caller's transaction (see `erase_resident`)."""
        return await erase_resident(session, user_id, now)


class OutboxStore:
    """Queue and cancel rows inside a caller's transaction, counting what it queued."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self.queued = 0

    async def enqueue(self, message: OutgoingMessage, *, now: datetime) -> int | None:
        """Add a row; return its id, or None for a dedupe key used before."""
        row = await enqueue_row(self._session, message, now=now)
        if row is not None:
            self.queued += 1
        return row

    async def cancel(
        self,
        now: datetime,
        *,
        dedupe_key: str | None = None,
        report_id: int | None = None,
        kind: str | None = None,
        chat_id: int | None = None,
    ) -> int:
        """Cancel pending rows matching every given filter; return how many."""
        return await cancel_rows(
            self._session,
            now,
            dedupe_key=dedupe_key,
            report_id=report_id,
            kind=kind,
            chat_id=chat_id,
        )

    async def cancel_proactive(
        self, now: datetime, *, chat_id: int | None = None, report_id: int | None = None
    ) -> int:
        """Cancel the pending proactive rows of a chat or a report; return how many."""
        if chat_id is None and report_id is None:
            raise ValueError("cancel_proactive needs a chat_id or a report_id")
        total = 0
        for pattern in proactive_patterns():
            total += await self.cancel(now, chat_id=chat_id, report_id=report_id, kind=pattern)
        return total


async def enqueue_row(
    session: Session, message: OutgoingMessage, *, now: datetime | None = None
) -> int | None:
    """Add a row inside the caller's transaction; return its id, or None for a known key.

    The row commits or rolls back with the caller's other writes (a report and its
    notifications). A `dedupe_key` that was ever used before makes this a no-op, even if
    that row has since been sent or cancelled. created_at is `now` (default: due_at). A row
    without a key queued while an inbox update is handled gets one derived from the update.
    """
    due = to_text(message.due_at)
    created = due if now is None else to_text(now)
    dedupe_key = message.dedupe_key
    handling = current()
    if dedupe_key is None and handling is not None:
        # Handling the same update again after a crash must not queue its messages twice.
        dedupe_key = handling.next_key(message.kind, message.chat_id)
    row_id = await session.fetch_value(
        "INSERT INTO outbox (chat_id, method, params, priority, due_at, next_attempt_at,"
        " kind, report_id, dedupe_key, reply_to_row, created_at, instead)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (dedupe_key) DO NOTHING RETURNING id",
        (
            message.chat_id,
            message.method,
            json.dumps(message.params, ensure_ascii=False, separators=(",", ":")),
            message.priority,
            due,
            due,
            message.kind,
            message.report_id,
            dedupe_key,
            message.reply_to_row,
            created,
            None if message.instead is None else message.instead.model_dump_json(),
        ),
    )
    return None if row_id is None else int(row_id)


async def cancel_rows(
    session: Session,
    now: datetime,
    *,
    dedupe_key: str | None = None,
    report_id: int | None = None,
    kind: str | None = None,
    chat_id: int | None = None,
) -> int:
    """Cancel pending rows matching every given filter; return how many.

    `kind` is a kind or a GLOB pattern ("followup.*"). Rows already sending are not
    touched: they finish. A cancelled row keeps its dedupe_key, so it is not scheduled again.
    """
    filters = {
        "dedupe_key = ?": dedupe_key,
        "report_id = ?": report_id,
        "kind GLOB ?": kind,
        "chat_id = ?": chat_id,
    }
    chosen = [(sql, value) for sql, value in filters.items() if value is not None]
    if not chosen:
        raise ValueError("cancel needs at least one filter")
    where = " AND ".join(sql for sql, _ in chosen)
    sql = (
        "UPDATE outbox SET status = 'cancelled', finished_at = ?"
        f" WHERE status = 'pending' AND {where}"
    )
    return await session.execute(sql, (to_text(now), *(value for _, value in chosen)))


async def erase_resident(session: Session, user_id: int, now: datetime) -> int:
    """Remove a resident's rows and scrub the text of rows about their reports.

    For `PrivacyRepository.erase_resident`, inside its transaction and before it detaches
    the reports from the resident: rows to their private chat (whose id is their user id)
    are deleted; rows about their reports keep only their bookkeeping (params become {}),
    and those not yet sent are cancelled. Returns how many rows were deleted or changed.
    """
    deleted = await session.execute("DELETE FROM outbox WHERE chat_id = ?", (user_id,))
    scrubbed = await session.execute(
        "UPDATE outbox SET params = '{}', instead = NULL,"
        " status = CASE WHEN status = 'pending' THEN 'cancelled' ELSE status END,"
        " finished_at = CASE WHEN status = 'pending' THEN ? ELSE finished_at END"
        " WHERE report_id IN (SELECT id FROM reports WHERE user_id = ?)",
        (to_text(now), user_id),
    )
    return deleted + scrubbed


def _proactive_sql() -> str:
    """Return the WHERE condition that picks pending proactive rows (bulk, by kind)."""
    kinds = " OR ".join("kind GLOB ?" for _ in proactive_patterns())
    return f"status = 'pending' AND priority = {int(Priority.BULK)} AND ({kinds})"


async def _hold_proactive(session: Session, now: datetime, policy: SendPolicy) -> None:
    """Expire proactive rows past the grace period; move due ones past the quiet hours."""
    patterns = proactive_patterns()
    session.add(
        "UPDATE outbox SET status = 'expired', finished_at = ?,"
        " last_error = 'expired: not sent within the grace period after it fell due'"
        f" WHERE {_proactive_sql()} AND due_at < ?",
        (to_text(now), *patterns, to_text(policy.expired_before(now))),
    )
    until = policy.quiet_until(now)
    if until is None:
        return
    end = to_text(until)
    session.add(
        "UPDATE outbox SET due_at = ?, next_attempt_at = max(next_attempt_at, ?)"
        f" WHERE {_proactive_sql()} AND due_at <= ?",
        (end, end, *patterns, to_text(now)),
    )


async def _drop_orphaned_replies(session: Session, stamp: str) -> None:
    """Fail (or cancel) pending replies to rows that will never be sent, level by level."""
    while await session.execute(
        "UPDATE outbox AS o SET finished_at = ?1,"
        " status = CASE p.status WHEN 'cancelled' THEN 'cancelled' ELSE 'failed' END,"
        " last_error = 'not sent: the message it replies to was ' || p.status"
        " FROM outbox AS p"
        " WHERE o.status = 'pending' AND o.reply_to_row = p.id"
        " AND p.status IN ('failed', 'cancelled', 'expired')",
        (stamp,),
    ):
        pass


async def _put_back(session: Session, row_id: int, at: datetime, error: str) -> bool:
    """Make a sending row pending again at `at`, its request off the wire, noting why."""
    changed = await session.execute(
        "UPDATE outbox SET status = 'pending', next_attempt_at = ?, last_error = ?,"
        " request_started_at = NULL WHERE id = ? AND status = 'sending'",
        (to_text(at), _clip(error), row_id),
    )
    return changed == 1


def _clip(error: str) -> str:
    """Return an error text short enough to store."""
    return error if len(error) <= _ERROR_CHARS else error[: _ERROR_CHARS - 1] + "…"


def _row(row: sqlite3.Row) -> OutboxRow:
    """Return the OutboxRow a database row describes."""

    def moment(name: str) -> datetime | None:
        value = row[name]
        return None if value is None else from_text(value)

    return OutboxRow(
        id=row["id"],
        chat_id=row["chat_id"],
        method=row["method"],
        params=json.loads(row["params"]),
        priority=row["priority"],
        due_at=from_text(row["due_at"]),
        status=OutboxStatus(row["status"]),
        attempts=row["attempts"],
        next_attempt_at=from_text(row["next_attempt_at"]),
        last_error=row["last_error"],
        message_id=row["message_id"],
        kind=row["kind"],
        report_id=row["report_id"],
        dedupe_key=row["dedupe_key"],
        reply_to_row=row["reply_to_row"],
        created_at=from_text(row["created_at"]),
        sent_at=moment("sent_at"),
        finished_at=moment("finished_at"),
        request_started_at=moment("request_started_at"),
        uncertain=bool(row["uncertain"]),
        uncertain_resends=row["uncertain_resends"],
        album_ids=_ids(row["album_ids"]),
        instead=None if row["instead"] is None else Instead.model_validate_json(row["instead"]),
        reply_to_message_id=row["reply_to_message_id"],
        reply_to_chat_id=row["reply_to_chat_id"],
        reply_to_album_ids=_ids(row["reply_to_album_ids"]),
    )


def _ids(stored: str | None) -> list[int] | None:
    """Return the message ids an album_ids column holds."""
    return None if stored is None else [int(i) for i in json.loads(stored)]
