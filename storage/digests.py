"""Keep residents' subscriptions to the digest of their wijk, and count reports per wijk."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from reports.records import Subscription
from storage.database import Database, Session
from storage.timestamps import from_text, to_text

WIJK_COUNTS = (
    "SELECT category_id, count(*) AS reports, sum(status = 'resolved') AS resolved FROM reports"
    " WHERE wijk_code = ?1 AND created_at >= ?2 AND created_at < ?3"
    " GROUP BY category_id ORDER BY reports DESC, category_id"
)
CATEGORY_COUNTS_PER_WIJK = (
    "WITH RECURSIVE wijken (wijk) AS ("
    " SELECT min(wijk_code) FROM reports"
    " UNION ALL SELECT (SELECT min(wijk_code) FROM reports WHERE wijk_code > wijk)"
    " FROM wijken WHERE wijk IS NOT NULL),"
    " pairs (wijk, category) AS ("
    " SELECT wijk, (SELECT min(category_id) FROM reports WHERE wijk_code = wijk)"
    " FROM wijken WHERE wijk IS NOT NULL"
    " UNION ALL SELECT wijk, (SELECT min(category_id) FROM reports"
    " WHERE wijk_code = wijk AND category_id > category) FROM pairs WHERE category IS NOT NULL)"
    " SELECT wijk_code, category_id, reports FROM ("
    " SELECT wijk AS wijk_code, category AS category_id, (SELECT count(*) FROM reports"
    " WHERE wijk_code = wijk AND category_id = category AND created_at >= ?1 AND created_at < ?2)"
    " AS reports FROM pairs WHERE category IS NOT NULL) WHERE reports > 0"
)
"""Reports per wijk and category in [?1, ?2). The wijken and their categories are walked one
index seek at a time (a skip scan that needs no statistics), then each pair's reports in the
period are counted in `reports_by_wijk_category`: no sort, however many reports the period has.
"""


@dataclass(frozen=True)
class WijkCounts:
    """How many reports a wijk had in a period, per category, and how many were resolved."""

    per_category: dict[str, int]
    resolved: int

    @property
    def total(self) -> int:
        """Return the number of reports."""
        return sum(self.per_category.values())


class DigestRepository:
    """Subscribe, unsubscribe and move subscriptions on once their digest was queued."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, user_id: int) -> Subscription | None:
        """Return a resident's subscription, or None."""
        async with self._db.read() as session:
            row = await session.fetch_one(
                "SELECT * FROM digest_subscriptions WHERE user_id = ?", (user_id,)
            )
        return None if row is None else _subscription(row)

    async def subscribe(
        self, user_id: int, wijk_code: str, now: datetime, first_at: datetime
    ) -> None:
        """Subscribe a resident to a wijk (again): the first digest covers now until first_at."""
        async with self._db.transaction() as session:
            await subscribe(session, user_id, wijk_code, now, first_at)

    async def unsubscribe(self, user_id: int) -> bool:
        """End a resident's subscription; False when there was none."""
        async with self._db.transaction() as session:
            return await unsubscribe(session, user_id) == 1

    async def latest_wijk(self, user_id: int) -> str | None:
        """Return the wijk of the resident's latest report, or None."""
        async with self._db.read() as session:
            return await latest_wijk(session, user_id)

    async def due(self, now: datetime) -> list[Subscription]:
        """Return the subscriptions whose next digest fell due."""
        async with self._db.read() as session:
            return await due_subscriptions(session, now)


async def subscribe(
    session: Session, user_id: int, wijk_code: str, now: datetime, first_at: datetime
) -> None:
    """Subscribe a resident to a wijk (again): the first digest covers now until first_at."""
    await session.execute(
        "INSERT INTO digest_subscriptions (user_id, wijk_code, since, next_at,"
        " subscribed_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET"
        " wijk_code = excluded.wijk_code, since = excluded.since,"
        " next_at = excluded.next_at, subscribed_at = excluded.subscribed_at",
        (user_id, wijk_code, to_text(now), to_text(first_at), to_text(now)),
    )


async def latest_wijk(session: Session, user_id: int) -> str | None:
    """Return the wijk of the resident's latest report, or None, within a transaction."""
    value = await session.fetch_value(
        "SELECT wijk_code FROM reports WHERE user_id = ? ORDER BY created_at DESC, id DESC LIMIT 1",
        (user_id,),
    )
    return None if value is None else str(value)


async def due_subscriptions(session: Session, now: datetime) -> list[Subscription]:
    """Return the subscriptions whose next digest fell due, within a transaction."""
    rows = await session.fetch_all(
        "SELECT * FROM digest_subscriptions WHERE next_at <= ? ORDER BY next_at, user_id",
        (to_text(now),),
    )
    return [_subscription(row) for row in rows]


async def move_on(session: Session, due: Subscription, next_at: datetime) -> bool:
    """Move a due subscription on by one period; False when it changed meanwhile."""
    moved = await session.execute(
        "UPDATE digest_subscriptions SET since = next_at, next_at = ?"
        " WHERE user_id = ? AND next_at = ? AND wijk_code = ?",
        (to_text(next_at), due.user_id, to_text(due.next_at), due.wijk_code),
    )
    return moved == 1


async def unsubscribe(session: Session, user_id: int) -> int:
    """Delete a resident's subscription; return how many rows went."""
    return await session.execute("DELETE FROM digest_subscriptions WHERE user_id = ?", (user_id,))


async def wijk_counts(
    session: Session, wijk_code: str, since: datetime, until: datetime
) -> WijkCounts:
    """Count the reports made in a wijk in [since, until), per category, and the resolved ones."""
    rows = await session.fetch_all(WIJK_COUNTS, (wijk_code, to_text(since), to_text(until)))
    return WijkCounts(
        per_category={row["category_id"]: int(row["reports"]) for row in rows},
        resolved=sum(int(row["resolved"] or 0) for row in rows),
    )


async def category_counts_per_wijk(
    session: Session, since: datetime, until: datetime
) -> dict[str, dict[str, int]]:
    """Count the reports made in [since, until) per wijk and category, from an index alone."""
    rows = await session.fetch_all(CATEGORY_COUNTS_PER_WIJK, (to_text(since), to_text(until)))
    counts: dict[str, dict[str, int]] = {}
    for row in rows:
        counts.setdefault(row["wijk_code"], {})[row["category_id"]] = int(row["reports"])
    return counts


def _subscription(row: sqlite3.Row) -> Subscription:
    """Return the Subscription a database row describes."""
    return Subscription(
        user_id=row["user_id"],
        wijk_code=row["wijk_code"],
        since=from_text(row["since"]),
        next_at=from_text(row["next_at"]),
    )
