"""Read the counts hotspots are found from, and keep the hotspots with their state and history.

`HotspotReads` reads on the background read connection (long reads never make a resident
wait); `HotspotStore` writes inside a unit of work, together with the messages it queues.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from storage.database import Database, Session

_COUNTS = (
    "SELECT buurt_code, category_id, SUM(created_at >= ?), SUM(created_at < ?)"
    " FROM reports INDEXED BY reports_by_created"
    " WHERE created_at >= ? AND created_at < ? AND status <> 'cancelled'"
    " GROUP BY buurt_code, category_id"
)
_ONGOING = (
    "SELECT r.buurt_code, r.category_id, COUNT(*) FROM followups f"
    " JOIN reports r ON r.id = f.report_id"
    " WHERE f.answered_at >= ? AND f.answered_at < ? AND f.answer = 'ongoing'"
    " GROUP BY 1, 2"
)
_POINTS = (
    "SELECT latitude, longitude FROM reports INDEXED BY reports_by_created"
    " WHERE created_at >= ? AND created_at < ? AND buurt_code = ? AND category_id = ?"
    " AND status <> 'cancelled' AND latitude IS NOT NULL"
)
_LEADS = (
    "SELECT DISTINCT lead_partner FROM reports INDEXED BY reports_by_created"
    " WHERE created_at >= ? AND created_at < ? AND buurt_code = ? AND category_id = ?"
    " AND lead_partner IS NOT NULL"
)


@dataclass(frozen=True)
class StoredHotspot:
    """A hotspot as kept: where, what, its last announced count and its state."""

    id: int
    buurt_code: str
    category_id: str
    announced: int
    """The count of the last message about it (new or grown)."""
    first_seen: str
    decision: str | None = None
    """What the coordinator decided: None, "seen", "joint" or "dismissed"."""


@dataclass(frozen=True)
class HotspotFacts:
    """One hotspot with the figures of its last check, for a decision about it."""

    id: int
    buurt_code: str
    category_id: str
    state: str
    observed: int
    expected: float
    decision: str | None


class HotspotReads:
    """The raw counts of the hotspot check, one short read each."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def _all(self, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        async with self._db.read(background=True) as session:
            return [tuple(row) for row in await session.fetch_all(sql, params)]

    async def counts(self, history: str, window: str, now: str) -> list[tuple[Any, ...]]:
        """Return (buurt, category, reports in [window, now), reports in [history, window))."""
        return await self._all(_COUNTS, (window, window, history, now))

    async def ongoing(self, window: str, now: str) -> list[tuple[Any, ...]]:
        """Return (buurt, category, "still going on" answers given in [window, now))."""
        return await self._all(_ONGOING, (window, now))

    async def checked(self, period: str) -> bool:
        """Return whether the check of a period was made (claimed) already."""
        rows = await self._all("SELECT 1 FROM hotspot_checks WHERE period = ?", (period,))
        return bool(rows)

    async def first_report(self) -> str | None:
        """Return when the oldest report was made, or None without reports."""
        rows = await self._all("SELECT MIN(created_at) FROM reports", ())
        return str(rows[0][0]) if rows and rows[0][0] is not None else None

    async def points(
        self, buurt: str, category: str, window: str, now: str
    ) -> list[tuple[float, float]]:
        """Return (latitude, longitude) of the cell's reports in the window that have one."""
        rows = await self._all(_POINTS, (window, now, buurt, category))
        return [(float(row[0]), float(row[1])) for row in rows]

    async def leads(self, buurt: str, category: str, window: str, now: str) -> list[str]:
        """Return the partners who led the cell's reports in the window."""
        rows = await self._all(_LEADS, (window, now, buurt, category))
        return sorted(str(row[0]) for row in rows)

    async def get(self, hotspot_id: int) -> HotspotFacts | None:
        """Return one hotspot, or None when there is no such id."""
        rows = await self._all(
            "SELECT id, buurt_code, category_id, state, observed, expected, decision"
            " FROM hotspots WHERE id = ?",
            (hotspot_id,),
        )
        return HotspotFacts(*rows[0]) if rows else None


class HotspotStore:
    """The hotspots and the checks made, inside one transaction."""

    def __init__(self, session: Session) -> None:
        self._session = session

    async def claim_check(self, check: str, at: str) -> bool:
        """Claim one periodic check; False when another run claimed it first."""
        added = await self._session.execute(
            "INSERT OR IGNORE INTO hotspot_checks (period, checked_at) VALUES (?, ?)", (check, at)
        )
        return added == 1

    async def active(self) -> list[StoredHotspot]:
        """Return the hotspots that have not ended."""
        rows = await self._session.fetch_all(
            "SELECT id, buurt_code, category_id, announced, first_seen, decision FROM hotspots"
            " WHERE state = 'active' ORDER BY id"
        )
        return [StoredHotspot(*tuple(row)) for row in rows]

    async def decide(self, hotspot_id: int, decision: str, reason: str | None, at: str) -> bool:
        """Record the coordinator's decision; False when the hotspot ended or was decided on
        finally (joint or dismissed) meanwhile, or already has this decision."""
        changed = await self._session.execute(
            "UPDATE hotspots SET decision = ?, decided_at = ?, reason = ?"
            " WHERE id = ? AND state = 'active'"
            " AND (decision IS NULL OR decision = 'seen') AND decision IS NOT ?",
            (decision, at, reason, hotspot_id, decision),
        )
        return changed == 1

    async def suppress(self, buurt: str, category: str, until: str, reason: str) -> None:
        """Say nothing about a buurt and category until `until`."""
        await self._session.execute(
            "INSERT INTO hotspot_suppressions (buurt_code, category_id, until, reason)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (buurt_code, category_id)"
            " DO UPDATE SET until = excluded.until, reason = excluded.reason",
            (buurt, category, until, reason),
        )

    async def suppressed(self, at: str) -> set[tuple[str, str]]:
        """Return the buurt and category pairs nothing is said about at `at`."""
        rows = await self._session.fetch_all(
            "SELECT buurt_code, category_id FROM hotspot_suppressions WHERE until > ?", (at,)
        )
        return {(str(row[0]), str(row[1])) for row in rows}

    async def add(
        self, buurt: str, category: str, observed: int, expected: float, p_value: float, at: str
    ) -> int:
        """Keep a new hotspot; return its id."""
        await self._session.execute(
            "INSERT INTO hotspots (buurt_code, category_id, state, first_seen, last_seen,"
            " observed, expected, p_value, announced) VALUES (?, ?, 'active', ?, ?, ?, ?, ?, ?)",
            (buurt, category, at, at, observed, expected, p_value, observed),
        )
        row = await self._session.fetch_one("SELECT last_insert_rowid()")
        assert row is not None
        return int(row[0])

    async def seen(
        self,
        hotspot_id: int,
        observed: int,
        expected: float,
        p_value: float,
        at: str,
        *,
        announced: bool,
    ) -> None:
        """Record this check's figures of a hotspot that persists (announced: grown)."""
        await self._session.execute(
            "UPDATE hotspots SET last_seen = ?, observed = ?, expected = ?, p_value = ?,"
            " announced = CASE WHEN ? THEN ? ELSE announced END WHERE id = ?",
            (at, observed, expected, p_value, int(announced), observed, hotspot_id),
        )

    async def end(self, hotspot_id: int, at: str) -> None:
        """Mark a hotspot ended: the last check no longer found it."""
        await self._session.execute(
            "UPDATE hotspots SET state = 'ended', ended_at = ? WHERE id = ?", (at, hotspot_id)
        )
