"""Keep co-reporters: residents who joined an open report nearby instead of making a new one.

Table `report_followers` (migration 0017) and the count `reports.co_reporters`. The session
functions run inside the caller's unit of work; `FollowerReads` reads on the read connection.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from reports.models import Language, Report, ReportStatus
from reports.workflow import FINAL_STATUSES
from storage.database import Database, Session
from storage.reports import _COLUMNS, _with_photos
from storage.timestamps import from_text, to_text

_OPEN = tuple(s.value for s in ReportStatus if s not in FINAL_STATUSES)
_CANDIDATES = (
    f"SELECT {_COLUMNS} FROM reports INDEXED BY reports_by_created"
    f" WHERE created_at >= ? AND category_id = ? AND status IN ({', '.join('?' for _ in _OPEN)})"
    " AND user_id IS NOT ? AND id NOT IN (SELECT report_id FROM report_followers"
    " WHERE user_id = ?) AND (buurt_code = ? OR (latitude BETWEEN ? AND ?"
    " AND longitude BETWEEN ? AND ?)) ORDER BY created_at DESC LIMIT ?"
)
"""Open reports of a category since a moment, in a buurt or a box around a point."""
_FOLLOWED = (
    f"SELECT {', '.join('r.' + c.strip() for c in _COLUMNS.split(','))} FROM reports AS r"
    " JOIN report_followers AS f ON f.report_id = r.id WHERE f.user_id = ?"
    " ORDER BY r.created_at DESC, r.id DESC LIMIT ?"
)


@dataclass(frozen=True)
class Follower:
    """A co-reporter of a report: who, in which language, in which seat, since when."""

    user_id: int
    language: Language
    seat: int
    joined_at: datetime


class FollowerReads:
    """Read co-reporters and the reports they may join."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def candidates(
        self,
        category_id: str,
        since: datetime,
        user_id: int,
        buurt_code: str,
        box: tuple[float, float, float, float] | None = None,
        limit: int = 100,
    ) -> list[Report]:
        """Return open reports of a category made since then, in the buurt or inside the box
        (south, north, west, east), not the resident's own or followed ones, newest first."""
        south, north, west, east = box if box is not None else (1.0, 0.0, 1.0, 0.0)
        params = (to_text(since), category_id, *_OPEN, user_id, user_id, buurt_code)
        params += (south, north, west, east, limit)
        async with self._db.read() as session:
            rows = await session.fetch_all(_CANDIDATES, params)
            return await _with_photos(session, rows)

    async def followed(self, user_id: int, limit: int = 20) -> list[Report]:
        """Return the reports the resident follows as a co-reporter, newest first."""
        async with self._db.read() as session:
            rows = await session.fetch_all(_FOLLOWED, (user_id, limit))
            return await _with_photos(session, rows)

    async def adding_to(self, user_id: int, now: datetime) -> int | None:
        """Return the report the resident may still add a text or photo to, or None."""
        async with self._db.read() as session:
            found = await session.fetch_value(
                "SELECT report_id FROM report_followers WHERE user_id = ? AND adding_until > ?"
                " ORDER BY joined_at DESC LIMIT 1",
                (user_id, to_text(now)),
            )
        return None if found is None else int(found)


async def follow(
    session: Session,
    report_id: int,
    user_id: int,
    language: str,
    now: datetime,
    adding_until: datetime,
) -> int | None:
    """Add the resident as a co-reporter in the report's next seat and count them.

    Return the seat (1, 2, 3 ...; the count after joining, so never one used before), or
    None when they follow the report already.
    """
    if await follower(session, report_id, user_id) is not None:
        return None
    seat = await session.fetch_value(
        "UPDATE reports SET co_reporters = co_reporters + 1 WHERE id = ? RETURNING co_reporters",
        (report_id,),
    )
    if seat is None:
        raise LookupError(f"no report {report_id}")
    await session.execute(
        "INSERT INTO report_followers (report_id, user_id, language, joined_at, adding_until,"
        " seat) VALUES (?, ?, ?, ?, ?, ?)",
        (report_id, user_id, language, to_text(now), to_text(adding_until), int(seat)),
    )
    return int(seat)


async def follower(session: Session, report_id: int, user_id: int) -> Follower | None:
    """Return the resident as a co-reporter of the report, or None."""
    row = await session.fetch_one(
        "SELECT user_id, language, seat, joined_at FROM report_followers"
        " WHERE report_id = ? AND user_id = ?",
        (report_id, user_id),
    )
    return None if row is None else _follower(row)


async def followers_of(session: Session, report_id: int) -> list[Follower]:
    """Return a report's co-reporters, in the order they joined."""
    rows = await session.fetch_all(
        "SELECT user_id, language, seat, joined_at FROM report_followers WHERE report_id = ?"
        " ORDER BY seat",
        (report_id,),
    )
    return [_follower(row) for row in rows]


async def end_adding(session: Session, report_id: int, user_id: int, now: datetime) -> bool:
    """Close the resident's window to add to a report; False when it was closed already."""
    changed = await session.execute(
        "UPDATE report_followers SET adding_until = NULL WHERE report_id = ? AND user_id = ?"
        " AND adding_until > ?",
        (report_id, user_id, to_text(now)),
    )
    return changed == 1


async def refresh_pending(session: Session, dedupe_key: str, params: str) -> bool:
    """Give a still pending outbox row new parameters; False when it went or never was."""
    changed = await session.execute(
        "UPDATE outbox SET params = ? WHERE dedupe_key = ? AND status = 'pending'",
        (params, dedupe_key),
    )
    return changed == 1


async def erase(session: Session, user_id: int) -> None:
    """Remove the resident from every report they followed (the counts stay, anonymous)."""
    await session.execute("DELETE FROM report_followers WHERE user_id = ?", (user_id,))


async def unfollow_all(session: Session, report_id: int) -> None:
    """Remove every co-reporter of a report (it was merged into another)."""
    await session.execute("DELETE FROM report_followers WHERE report_id = ?", (report_id,))


def _follower(row: sqlite3.Row) -> Follower:
    """Return the Follower a database row describes."""
    return Follower(int(row[0]), Language(row[1]), int(row[2]), from_text(row[3]))
