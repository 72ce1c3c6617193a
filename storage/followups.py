"""Keep the follow-up questions of reports, their answers, and what residents added after them.

Each question is asked to a respondent: 0 is the resident who made the report, n its n-th
co-reporter (`report_followers.seat`, migration 0018).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from reports.followup import FollowupAnswer, extended_description
from storage.database import Database, Session
from storage.timestamps import from_text, to_text

_COLUMNS = (
    "f.report_id, f.respondent, f.number, f.due_at, f.answer, f.answered_at, f.awaiting_until,"
    " o.status AS outbox_status"
)
_FROM = "FROM followups AS f LEFT JOIN outbox AS o ON o.id = f.outbox_id"


@dataclass(frozen=True)
class Followup:
    """One "is it still going on?" question of a report and what became of it."""

    report_id: int
    respondent: int
    """0: the resident who made the report; n: its n-th co-reporter."""
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

    async def get(self, report_id: int, number: int, respondent: int = 0) -> Followup | None:
        """Return a report's n-th follow-up to a respondent, or None."""
        async with self._db.read() as session:
            row = await session.fetch_one(
                f"SELECT {_COLUMNS} {_FROM}"
                " WHERE f.report_id = ? AND f.respondent = ? AND f.number = ?",
                (report_id, respondent, number),
            )
        return None if row is None else _followup(row)

    async def for_report(self, report_id: int) -> list[Followup]:
        """Return every follow-up of a report, by respondent, first first."""
        async with self._db.read() as session:
            rows = await session.fetch_all(
                f"SELECT {_COLUMNS} {_FROM} WHERE f.report_id = ? ORDER BY f.respondent, f.number",
                (report_id,),
            )
        return [_followup(row) for row in rows]

    async def awaiting_addition(self, user_id: int, now: datetime) -> Followup | None:
        """Return the follow-up whose "add information" waits for this resident's message."""
        async with self._db.read() as session:
            return await awaiting_addition(session, user_id, now)


async def awaiting_addition(session: Session, user_id: int, now: datetime) -> Followup | None:
    """Return the follow-up whose "add information" waits for this resident, in a transaction
    (asked as the reporter or as a co-reporter)."""
    row = await session.fetch_one(
        f"SELECT {_COLUMNS} {_FROM} JOIN reports AS r ON r.id = f.report_id"
        " LEFT JOIN report_followers AS rf ON rf.report_id = f.report_id"
        " AND rf.seat = f.respondent AND f.respondent > 0"
        " WHERE f.awaiting_until > ? AND r.status NOT IN ('resolved', 'cancelled')"
        " AND ((f.respondent = 0 AND r.user_id = ?) OR rf.user_id = ?)"
        " ORDER BY f.answered_at DESC LIMIT 1",
        (to_text(now), user_id, user_id),
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
    session: Session,
    report_id: int,
    number: int,
    outbox_id: int,
    due_at: datetime,
    *,
    respondent: int = 0,
) -> None:
    """Remember that a report's n-th follow-up to a respondent was queued as this outbox row."""
    session.add(
        "INSERT INTO followups (report_id, respondent, number, outbox_id, due_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (report_id, respondent, number, outbox_id, to_text(due_at)),
    )


async def answer_followup(
    session: Session,
    report_id: int,
    number: int,
    answer: FollowupAnswer,
    now: datetime,
    *,
    respondent: int = 0,
    awaiting_until: datetime | None = None,
) -> bool:
    """Store the answer to a delivered, unanswered follow-up; False when it does not fit."""
    changed = await session.execute(
        "UPDATE followups SET answer = ?, answered_at = ?, awaiting_until = ?"
        " WHERE report_id = ? AND respondent = ? AND number = ? AND answer IS NULL"
        " AND outbox_id IN (SELECT id FROM outbox WHERE status = 'sent')",
        (
            answer.value,
            to_text(now),
            None if awaiting_until is None else to_text(awaiting_until),
            report_id,
            respondent,
            number,
        ),
    )
    return changed == 1


async def end_addition(
    session: Session, report_id: int, number: int, now: datetime, *, respondent: int = 0
) -> bool:
    """Stop waiting for an addition; False when it was no longer awaited."""
    changed = await session.execute(
        "UPDATE followups SET awaiting_until = NULL"
        " WHERE report_id = ? AND respondent = ? AND number = ? AND awaiting_until > ?",
        (report_id, respondent, number, to_text(now)),
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
        respondent=row["respondent"],
        number=row["number"],
        due_at=from_text(row["due_at"]),
        answer=None if row["answer"] is None else FollowupAnswer(row["answer"]),
        answered_at=moment("answered_at"),
        awaiting_until=moment("awaiting_until"),
        outbox_status=row["outbox_status"],
    )
