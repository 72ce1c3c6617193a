"""Keep the follow-up questions of reports, their answers, and what residents added after them."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from reports.followup import FollowupAnswer, extended_description
from storage.database import Database, Session
from storage.timestamps import from_text, to_text

_COLUMNS = (
    "f.report_id, f.number, f.due_at, f.answer, f.answered_at, f.awaiting_until,"
    " o.status AS outbox_status"
)
_FROM = "FROM followups AS f LEFT JOIN outbox AS o ON o.id = f.outbox_id"


@dataclass(frozen=True)
class Followup:
    """One "is it still going on?" question of a report and what became of it."""

    report_id: int
    number: int
    due_at: datetime
    answer: FollowupAnswer | None
    answered_at: datetime | None
    awaiting_until: datetime | None
    outbox_status: str | None

    @property
    def delivered(self) -> bool:
        """Return whether the question reached the resident."""
        return self.outbox_status == "sent"


@dataclass(frozen=True)
class Addition:
    """What of a resident's addition was stored with the report."""

    text_stored: bool
    photo_stored: bool


class FollowupRepository:
    """Read follow-ups; the writes happen inside the transactions that change their report."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, report_id: int, number: int) -> Followup | None:
        """Return a report's n-th follow-up, or None."""
        async with self._db.read() as session:
            row = await session.fetch_one(
                f"SELECT {_COLUMNS} {_FROM} WHERE f.report_id = ? AND f.number = ?",
                (report_id, number),
            )
        return None if row is None else _followup(row)

    async def for_report(self, report_id: int) -> list[Followup]:
        """Return every follow-up of a report, first first."""
        async with self._db.read() as session:
            rows = await session.fetch_all(
                f"SELECT {_COLUMNS} {_FROM} WHERE f.report_id = ? ORDER BY f.number",
                (report_id,),
            )
        return [_followup(row) for row in rows]

    async def awaiting_addition(self, user_id: int, now: datetime) -> Followup | None:
        """Return the follow-up whose "add information" waits for this resident's message."""
        async with self._db.read() as session:
            return await awaiting_addition(session, user_id, now)


async def awaiting_addition(session: Session, user_id: int, now: datetime) -> Followup | None:
    """Return the follow-up whose "add information" waits for this resident, in a transaction."""
    row = await session.fetch_one(
        f"SELECT {_COLUMNS} {_FROM} JOIN reports AS r ON r.id = f.report_id"
        " WHERE r.user_id = ? AND f.awaiting_until > ?"
        " AND r.status NOT IN ('resolved', 'cancelled')"
        " ORDER BY f.answered_at DESC LIMIT 1",
        (user_id, to_text(now)),
    )
    return None if row is None else _followup(row)


async def lead_message(session: Session, report_id: int) -> tuple[str, int, int] | None:
    """Return (partner, chat, message id) of the report's latest sent lead notification.

    Answers to follow-ups and surveys go to that chat as replies to that message.
    """
    row = await session.fetch_one(
        "SELECT c.partner_id, c.chat_id, COALESCE(c.message_id, o.message_id) AS mid"
        " FROM case_messages AS c LEFT JOIN outbox AS o ON o.id = c.outbox_id"
        " WHERE c.report_id = ? AND c.role = 'lead'"
        " AND COALESCE(c.message_id, o.message_id) IS NOT NULL ORDER BY c.id DESC LIMIT 1",
        (report_id,),
    )
    return None if row is None else (row["partner_id"], row["chat_id"], row["mid"])


async def add_followup(
    session: Session, report_id: int, number: int, outbox_id: int, due_at: datetime
) -> None:
    """Remember that a report's n-th follow-up was queued as this outbox row."""
    await session.execute(
        "INSERT INTO followups (report_id, number, outbox_id, due_at) VALUES (?, ?, ?, ?)",
        (report_id, number, outbox_id, to_text(due_at)),
    )


async def answer_followup(
    session: Session,
    report_id: int,
    number: int,
    answer: FollowupAnswer,
    now: datetime,
    *,
    awaiting_until: datetime | None = None,
) -> bool:
    """Store the answer to a delivered, unanswered follow-up; False when it does not fit."""
    changed = await session.execute(
        "UPDATE followups SET answer = ?, answered_at = ?, awaiting_until = ?"
        " WHERE report_id = ? AND number = ? AND answer IS NULL"
        " AND outbox_id IN (SELECT id FROM outbox WHERE status = 'sent')",
        (
            answer.value,
            to_text(now),
            None if awaiting_until is None else to_text(awaiting_until),
            report_id,
            number,
        ),
    )
    return changed == 1


async def end_addition(session: Session, report_id: int, number: int, now: datetime) -> bool:
    """Stop waiting for an addition; False when it was no longer awaited."""
    changed = await session.execute(
        "UPDATE followups SET awaiting_until = NULL"
        " WHERE report_id = ? AND number = ? AND awaiting_until > ?",
        (report_id, number, to_text(now)),
    )
    return changed == 1


async def count_recurrence(session: Session, report_id: int) -> int:
    """Count one more "still going on" for a report; return the new count."""
    value = await session.fetch_value(
        "UPDATE reports SET recurrence_count = recurrence_count + 1 WHERE id = ?"
        " RETURNING recurrence_count",
        (report_id,),
    )
    if value is None:
        raise LookupError(f"no report {report_id}")
    return int(value)


async def add_to_report(
    session: Session,
    report_id: int,
    *,
    text: str | None,
    photo_file_id: str | None,
    max_chars: int,
    max_photos: int,
) -> Addition:
    """Append a text to the report's description and a photo to its photos, as far as they fit.

    The text becomes a new paragraph of the description (clipped to `max_chars`); the photo
    is stored while the report has fewer than `max_photos`. What does not fit is not stored.
    """
    text_stored = photo_stored = False
    if text:
        current = await session.fetch_value(
            "SELECT description FROM reports WHERE id = ?", (report_id,)
        )
        extended = extended_description(str(current or ""), text, max_chars)
        if extended is not None:
            await session.execute(
                "UPDATE reports SET description = ? WHERE id = ?", (extended, report_id)
            )
            text_stored = True
    if photo_file_id:
        count = int(
            await session.fetch_value(
                "SELECT count(*) FROM report_photos WHERE report_id = ?", (report_id,)
            )
        )
        if count < max_photos:
            await session.execute(
                "INSERT INTO report_photos (report_id, position, file_id) VALUES (?,"
                " (SELECT coalesce(max(position) + 1, 0) FROM report_photos WHERE report_id = ?),"
                " ?)",
                (report_id, report_id, photo_file_id),
            )
            photo_stored = True
    return Addition(text_stored=text_stored, photo_stored=photo_stored)


def _followup(row: sqlite3.Row) -> Followup:
    """Return the Followup a database row describes."""

    def moment(name: str) -> datetime | None:
        value = row[name]
        return None if value is None else from_text(value)

    return Followup(
        report_id=row["report_id"],
        number=row["number"],
        due_at=from_text(row["due_at"]),
        answer=None if row["answer"] is None else FollowupAnswer(row["answer"]),
        answered_at=moment("answered_at"),
        awaiting_until=moment("awaiting_until"),
        outbox_status=row["outbox_status"],
    )
