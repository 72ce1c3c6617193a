"""Keep the feedback surveys after resolved reports and their answers, per buurt and wijk.

A report has one survey per respondent: 0 is the resident who made it, n its n-th co-reporter
(`report_followers.seat`, migration 0018).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime

from reports.survey import FeelsUnsafe, SurveyState
from storage.database import Database, Session
from storage.timestamps import from_text, to_text

_COLUMNS = (
    "s.report_id, s.respondent, s.buurt_code, s.wijk_code, s.state, s.satisfied, s.reasons,"
    " s.feels_unsafe, s.comment, s.due_at, s.expires_at, s.sent_at, s.answered_at,"
    " o.status AS outbox_status"
)
_FROM = "FROM surveys AS s LEFT JOIN outbox AS o ON o.id = s.outbox_id"
_SENT = "(SELECT sent_at FROM outbox WHERE id = surveys.outbox_id AND status = 'sent')"


@dataclass(frozen=True)
class Survey:
    """The survey of one resolved report to one respondent and what they answered so far."""

    report_id: int
    respondent: int
    """0: the resident who made the report; n: its n-th co-reporter."""
    buurt_code: str
    wijk_code: str
    state: SurveyState
    satisfied: bool | None
    reasons: tuple[str, ...]
    feels_unsafe: FeelsUnsafe | None
    comment: str | None
    due_at: datetime
    expires_at: datetime
    sent_at: datetime | None
    answered_at: datetime | None
    outbox_status: str | None

    @property
    def delivered(self) -> bool:
        """Return whether the first question reached the resident."""
        return self.outbox_status == "sent" or self.sent_at is not None


class SurveyRepository:
    """Read surveys and expire the stale ones; answers are written in the report's transaction."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, report_id: int, respondent: int = 0) -> Survey | None:
        """Return the survey of a report to a respondent, or None."""
        async with self._db.read() as session:
            return await load_survey(session, report_id, respondent)

    async def awaiting_comment(self, user_id: int, now: datetime) -> Survey | None:
        """Return the survey whose free text waits for this resident's next message."""
        async with self._db.read() as session:
            return await awaiting_comment(session, user_id, now)

    async def expire(self, now: datetime) -> int:
        """Mark every survey past its window that was not completed as expired; return how many."""
        async with self._db.transaction() as session:
            return await expire_surveys(session, now)


async def load_survey(session: Session, report_id: int, respondent: int = 0) -> Survey | None:
    """Return the survey of a report to a respondent within a transaction, or None."""
    row = await session.fetch_one(
        f"SELECT {_COLUMNS} {_FROM} WHERE s.report_id = ? AND s.respondent = ?",
        (report_id, respondent),
    )
    return None if row is None else _survey(row)


async def awaiting_comment(session: Session, user_id: int, now: datetime) -> Survey | None:
    """Return the survey whose free text waits for this resident, within a transaction (asked
    as the reporter or as a co-reporter)."""
    row = await session.fetch_one(
        f"SELECT {_COLUMNS} {_FROM} JOIN reports AS r ON r.id = s.report_id"
        " LEFT JOIN report_followers AS rf ON rf.report_id = s.report_id"
        " AND rf.seat = s.respondent AND s.respondent > 0"
        " WHERE s.state = 'comment' AND s.expires_at > ?"
        " AND ((s.respondent = 0 AND r.user_id = ?) OR rf.user_id = ?)"
        " ORDER BY s.answered_at DESC LIMIT 1",
        (to_text(now), user_id, user_id),
    )
    return None if row is None else _survey(row)


async def expire_surveys(session: Session, now: datetime) -> int:
    """Mark every survey past its window that was not completed as expired; return how many."""
    return await session.execute(
        "UPDATE surveys SET state = 'expired'"
        " WHERE state NOT IN ('done', 'expired') AND expires_at <= ?",
        (to_text(now),),
    )


async def add_survey(
    session: Session,
    report_id: int,
    outbox_id: int,
    *,
    respondent: int = 0,
    buurt_code: str,
    wijk_code: str,
    due_at: datetime,
    expires_at: datetime,
) -> None:
    """Remember that a report's survey to a respondent was queued as this outbox row."""
    await session.execute(
        "INSERT INTO surveys (report_id, respondent, outbox_id, buurt_code, wijk_code, due_at,"
        " expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            report_id,
            respondent,
            outbox_id,
            buurt_code,
            wijk_code,
            to_text(due_at),
            to_text(expires_at),
        ),
    )


async def answer_survey(
    session: Session,
    report_id: int,
    expected: SurveyState,
    next_state: SurveyState,
    now: datetime,
    *,
    respondent: int = 0,
    satisfied: bool | None = None,
    reason: str | None = None,
    feels_unsafe: FeelsUnsafe | None = None,
    comment: str | None = None,
) -> bool:
    """Store one answer of a delivered survey in the state that asks for it, within its window.

    False (and nothing changes) when the survey is in another state, expired, or its first
    question was never delivered.
    """
    sets = ["state = ?", "answered_at = ?", f"sent_at = coalesce(sent_at, {_SENT})"]
    values: list[object] = [next_state.value, to_text(now)]
    if satisfied is not None:
        sets.append("satisfied = ?")
        values.append(int(satisfied))
    if reason is not None:
        sets.append("reasons = json_insert(reasons, '$[#]', ?)")
        values.append(reason)
    if feels_unsafe is not None:
        sets.append("feels_unsafe = ?")
        values.append(feels_unsafe.value)
    if comment is not None:
        sets.append("comment = ?")
        values.append(comment)
    changed = await session.execute(
        f"UPDATE surveys SET {', '.join(sets)}"
        " WHERE report_id = ? AND respondent = ? AND state = ? AND expires_at > ?"
        f" AND (sent_at IS NOT NULL OR {_SENT} IS NOT NULL)",
        (*values, report_id, respondent, expected.value, to_text(now)),
    )
    return changed == 1


async def forget_comments(session: Session, user_id: int) -> int:
    """Remove the free texts of a resident's surveys (as reporter and as co-reporter) and stop
    waiting for one; return how many. Run it before the resident's co-reporter seats go."""
    return await session.execute(
        "UPDATE surveys SET comment = NULL,"
        " state = CASE state WHEN 'comment' THEN 'done' ELSE state END"
        " WHERE (comment IS NOT NULL OR state = 'comment') AND ("
        " (respondent = 0 AND report_id IN (SELECT id FROM reports WHERE user_id = ?))"
        " OR (report_id, respondent) IN"
        " (SELECT report_id, seat FROM report_followers WHERE user_id = ?))",
        (user_id, user_id),
    )


def _survey(row: sqlite3.Row) -> Survey:
    """Return the Survey a database row describes."""

    def moment(name: str) -> datetime | None:
        value = row[name]
        return None if value is None else from_text(value)

    return Survey(
        report_id=row["report_id"],
        respondent=row["respondent"],
        buurt_code=row["buurt_code"],
        wijk_code=row["wijk_code"],
        state=SurveyState(row["state"]),
        satisfied=None if row["satisfied"] is None else bool(row["satisfied"]),
        reasons=tuple(json.loads(row["reasons"])),
        feels_unsafe=None if row["feels_unsafe"] is None else FeelsUnsafe(row["feels_unsafe"]),
        comment=row["comment"],
        due_at=from_text(row["due_at"]),
        expires_at=from_text(row["expires_at"]),
        sent_at=moment("sent_at"),
        answered_at=moment("answered_at"),
        outbox_status=row["outbox_status"],
    )
