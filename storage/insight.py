"""Read the statistics' raw counts with SQL aggregates, each query its own short read.

Every method runs one query in its own read transaction on the read connection, so a report
being built never keeps the writer (a resident's answer) waiting, and other reads take turns
between the queries. Every query goes through an index (migration 0010). Times are UTC text
bounds `[lo, hi)` (storage.timestamps.to_text).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from storage.database import Database

Row = tuple[Any, ...]

_IN_WIJK = " AND r.wijk_code = ?"
_COUNTS = (
    "SELECT r.category_id, r.wijk_code, r.buurt_code, r.lead_partner, r.status, COUNT(*)"
    " FROM reports r{index} WHERE r.created_at >= ? AND r.created_at < ?{wijk}"
    " GROUP BY 1, 2, 3, 4, 5"
)
_FIRST_CLAIM = (
    "(SELECT MIN(e.at) FROM report_events e WHERE e.report_id = r.id AND e.action = 'claim')"
)
_HANDLING = (
    "SELECT r.lead_partner,"
    f" (julianday({_FIRST_CLAIM}) - julianday(r.created_at)) * 86400.0,"
    " CASE WHEN r.status = 'resolved'"
    "  THEN (julianday(r.resolved_at) - julianday(r.created_at)) * 86400.0 END,"
    " CASE WHEN r.due_at IS NULL THEN NULL"
    "  WHEN r.claimed_at IS NOT NULL THEN r.claimed_at <= r.due_at"
    "  WHEN r.status = 'resolved' THEN r.resolved_at <= r.due_at"
    "  WHEN r.status = 'cancelled' THEN NULL"
    "  WHEN r.due_at <= ? THEN 0 END"
    " FROM reports r WHERE r.created_at >= ? AND r.created_at < ?{wijk}"
)
_PARTNER_EVENTS = (
    "SELECT CASE WHEN e.action = 'reopen' THEN r.lead_partner ELSE e.partner_id END, e.action,"
    " COUNT(DISTINCT e.report_id)"
    " FROM report_events e JOIN reports r ON r.id = e.report_id"
    " WHERE e.action IN ('forward', 'not_ours', 'reopen')"
    " AND (e.action <> 'reopen' OR e.actor = 'resident')"
    " AND r.created_at >= ? AND r.created_at < ?{wijk} GROUP BY 1, 2"
)
_SURVEYS = (
    "SELECT s.wijk_code, r.lead_partner, s.satisfied, s.feels_unsafe, COUNT(*)"
    " FROM surveys s JOIN reports r ON r.id = s.report_id"
    " WHERE s.answered_at >= ? AND s.answered_at < ? GROUP BY 1, 2, 3, 4"
)
_REASONS = (
    "SELECT j.value, COUNT(*) FROM surveys s, json_each(s.reasons) j"
    " WHERE s.answered_at >= ? AND s.answered_at < ?{wijk} GROUP BY 1"
)
_FOLLOWUPS = (
    "SELECT r.category_id, r.wijk_code, f.answer, COUNT(*)"
    " FROM followups f JOIN reports r ON r.id = f.report_id"
    " WHERE f.answered_at >= ? AND f.answered_at < ?{wijk} GROUP BY 1, 2, 3"
)
_CREATED = "SELECT COUNT(*) FROM reports r WHERE r.created_at >= ? AND r.created_at < ?{wijk}"
_RESOLVED = (
    "SELECT COUNT(*) FROM reports r INDEXED BY reports_by_resolved"
    " WHERE r.resolved_at >= ? AND r.resolved_at < ?{wijk}"
)
_UNSAFE = (
    "SELECT s.feels_unsafe, COUNT(*) FROM surveys s WHERE s.answered_at >= ?"
    " AND s.answered_at < ? AND s.feels_unsafe IS NOT NULL{wijk} GROUP BY 1"
)
_EXPORT = (
    "SELECT r.id, r.reference, r.category_id, r.wijk_code, r.wijk_name, r.buurt_code,"
    f" r.buurt_name, r.created_at, {_FIRST_CLAIM}, r.resolved_at, r.status, r.lead_partner,"
    " CASE WHEN r.due_at IS NULL THEN NULL"
    "  WHEN r.claimed_at IS NOT NULL THEN r.claimed_at <= r.due_at"
    "  WHEN r.status = 'resolved' THEN r.resolved_at <= r.due_at"
    "  WHEN r.status = 'cancelled' THEN NULL"
    "  WHEN r.due_at <= ? THEN 0 END,"
    " s.satisfied, s.feels_unsafe, r.latitude, r.longitude"
    " FROM reports r LEFT JOIN surveys s ON s.report_id = r.id AND s.respondent = 0"
    " WHERE r.created_at >= ? AND r.created_at < ? AND (r.created_at, r.id) > (?, ?){wijk}"
    " ORDER BY r.created_at, r.id LIMIT ?"
)
"""One page of the CSV export: the reports after (created_at, id), in that order."""
STATEMENTS = {
    "counts": _COUNTS,
    "co_reporters": (
        "SELECT COALESCE(SUM(r.co_reporters), 0) FROM reports r{index}"
        " WHERE r.created_at >= ? AND r.created_at < ?{wijk}"
    ),
    "handling": _HANDLING,
    "partner_events": _PARTNER_EVENTS,
    "surveys": _SURVEYS,
    "reasons": _REASONS,
    "followups": _FOLLOWUPS,
    "created": _CREATED,
    "resolved": _RESOLVED,
    "unsafe": _UNSAFE,
    "export": _EXPORT,
}
"""Every statistics query by name, for the benchmark's EXPLAIN QUERY PLAN."""


def statement(name: str, wijk: str | None) -> str:
    """Return a query with or without the wijk filter."""
    index = "" if wijk else " INDEXED BY reports_by_created"
    text = STATEMENTS[name]
    if name == "reasons" or name == "unsafe":
        return text.format(wijk=" AND s.wijk_code = ?" if wijk else "")
    return text.format(wijk=_IN_WIJK if wijk else "", index=index)


class InsightRepository:
    """The raw material of the statistics, one short read per query."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def _all(self, name: str, params: Sequence[Any], wijk: str | None) -> list[Row]:
        sql = statement(name, wijk)
        async with self._db.read(background=True) as session:
            rows = await session.fetch_all(sql, (*params, *((wijk,) if wijk else ())))
        return [tuple(row) for row in rows]

    async def counts(self, lo: str, hi: str, wijk: str | None = None) -> list[Row]:
        """Return (category, wijk, buurt, lead, status, count) of the reports made in [lo, hi)."""
        return await self._all("counts", (lo, hi), wijk)

    async def co_reporters(self, lo: str, hi: str, wijk: str | None = None) -> int:
        """Return how many co-reporters joined the reports made in [lo, hi)."""
        [(count,)] = await self._all("co_reporters", (lo, hi), wijk)
        return int(count)

    async def handling(self, now: str, lo: str, hi: str, wijk: str | None = None) -> list[Row]:
        """Return (lead, seconds to first claim, seconds to resolve, within target) per report
        made in [lo, hi); None where a figure does not apply (see reports/insight_terms)."""
        return await self._all("handling", (now, lo, hi), wijk)

    async def partner_events(self, lo: str, hi: str, wijk: str | None = None) -> list[Row]:
        """Return (partner, action, reports) for forward, not_ours and survey reopen."""
        return await self._all("partner_events", (lo, hi), wijk)

    async def surveys(self, lo: str, hi: str) -> list[Row]:
        """Return (wijk, lead, satisfied, feels_unsafe, count) of surveys answered in [lo, hi)."""
        return await self._all("surveys", (lo, hi), None)

    async def reasons(self, lo: str, hi: str, wijk: str | None = None) -> list[Row]:
        """Return (reason id, count) of the reasons picked in surveys answered in [lo, hi)."""
        return await self._all("reasons", (lo, hi), wijk)

    async def followups(self, lo: str, hi: str, wijk: str | None = None) -> list[Row]:
        """Return (category, wijk, answer, count) of follow-ups answered in [lo, hi)."""
        return await self._all("followups", (lo, hi), wijk)

    async def hotspots(self, lo: str, hi: str) -> list[Row]:
        """Return (buurt, category, first seen, ended, observed, expected, decision) of the
        hotspots active at some moment of [lo, hi), the oldest first."""
        async with self._db.read(background=True) as session:
            rows = await session.fetch_all(
                "SELECT buurt_code, category_id, first_seen, ended_at, observed, expected,"
                " decision FROM hotspots WHERE first_seen < ? AND (ended_at IS NULL OR"
                " ended_at >= ?) ORDER BY first_seen, id",
                (hi, lo),
            )
        return [tuple(row) for row in rows]

    async def month(self, lo: str, hi: str, wijk: str | None = None) -> tuple[int, int, Row]:
        """Return reports made, reports resolved and (often, sometimes, never) in [lo, hi)."""
        made = (await self._all("created", (lo, hi), wijk))[0][0]
        resolved = (await self._all("resolved", (lo, hi), wijk))[0][0]
        unsafe: dict[str, int] = dict(await self._all("unsafe", (lo, hi), wijk))
        answers = (unsafe.get("often", 0), unsafe.get("sometimes", 0), unsafe.get("never", 0))
        return int(made), int(resolved), answers

    async def export_page(
        self, now: str, lo: str, hi: str, after: tuple[str, int], size: int, wijk: str | None
    ) -> list[Row]:
        """Return up to `size` reports made in [lo, hi) after (created_at, id), for the CSV."""
        return await self._all("export", (now, lo, hi, *after, size), wijk)

    async def posted(self, month: str) -> bool:
        """Return whether the monthly report of a month ('YYYY-MM') was claimed for posting."""
        async with self._db.read() as session:
            row = await session.fetch_one("SELECT 1 FROM insight_posts WHERE month = ?", (month,))
        return row is not None

    async def claim_post(self, month: str, at: str) -> bool:
        """Claim a month's report for posting; False when another claim came first."""
        async with self._db.transaction() as session:
            added = await session.execute(
                "INSERT OR IGNORE INTO insight_posts (month, claimed_at) VALUES (?, ?)", (month, at)
            )
        return added == 1

    async def release_post(self, month: str) -> None:
        """Give a claim up after the post failed, so the next run tries again."""
        async with self._db.transaction() as session:
            await session.execute("DELETE FROM insight_posts WHERE month = ?", (month,))
