"""Measure the queries that grow with the data, and the buurt lookup, at a million reports.

Builds (once; about two minutes) a database with the project's own schema holding N generated
reports with their audit events, outbox rows and case messages (`tests.storage.seeding`), then
prints each hot query's `EXPLAIN QUERY PLAN` and its time (median of 7 runs after a warm-up),
and the average time of a buurt lookup for random points in the municipality's bounding box.
Run from the repository root:

    .venv/bin/python -m bench.scale                          # 1,000,000 reports
    .venv/bin/python -m bench.scale --reports 200000 --db /tmp/scale-200k.sqlite3
    .venv/bin/python -m bench.scale --before --schema 9 --db /tmp/scale-main.sqlite3

`--before` runs main's queries as they were before issue 12 (on a database left at schema 9,
main's last migration, with `--schema 9`) and the exact STRtree lookup, for the comparison in
BENCHMARKS.md. `--statistics` chooses what the query planner knows: nothing (`none`, as a
database that was never analysed), a sample (`sampled`, as `Database.optimize` leaves it) or
everything (`full`).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import sqlite3
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import shapely

from reports.neighbourhoods import NEAREST_BUURT_METRES, NeighbourhoodMap
from storage.cases import CaseRepository
from storage.database import ANALYSIS_LIMIT, Database
from storage.hot_queries import HOT_QUERIES
from storage.migrate import load_migrations
from storage.reports import _COLUMNS, _with_photos
from storage.timestamps import to_text
from tests.storage.seeding import seed

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
DATA = Path(__file__).resolve().parents[1] / "config" / "data"
OPEN_SHOWN = 300
"""About as many open reports as /open's six messages show."""
RUNS = 7

# main at f661893, before issue 12: the queries as they were.
BEFORE = {
    "/open: every open report": (
        f"SELECT {_COLUMNS} FROM reports"
        " WHERE status NOT IN ('resolved', 'cancelled', 'new') ORDER BY created_at, id"
    ),
    "the case message behind a press or reply": (
        "SELECT c.report_id, c.partner_id, c.role, c.chat_id, c.action, c.user_id"
        " FROM case_messages AS c LEFT JOIN outbox AS o ON o.id = c.outbox_id"
        " WHERE c.chat_id = ?1 AND (c.message_id = ?2 OR o.message_id = ?2 OR (c.report_id = ?3"
        " AND o.uncertain = 1 AND (o.message_id IS NULL OR o.message_id > ?2)))"
        " AND c.role <> 'view'"
        " ORDER BY (c.message_id = ?2 OR o.message_id = ?2) DESC, c.id DESC LIMIT 1"
    ),
    "escalation sweep: reminders": (
        f"SELECT {_COLUMNS} FROM reports WHERE status IN ('routed', 'reopened')"
        " AND escalated_at IS NULL AND reminded_at IS NULL AND due_at <= ?1 ORDER BY due_at, id"
    ),
    "escalation sweep: escalations": (
        f"SELECT {_COLUMNS} FROM reports WHERE status IN ('routed', 'reopened')"
        " AND escalated_at IS NULL AND reminded_at IS NOT NULL AND due_at <= ?1"
        " ORDER BY due_at, id"
    ),
    "the held reports (at start-up and when a chat links)": (
        "SELECT e.report_id, e.action, e.detail FROM report_events AS e"
        " WHERE e.action IN ('held', 'released') AND e.id = (SELECT max(id) FROM report_events"
        " WHERE report_id = e.report_id AND action IN ('held', 'released'))"
    ),
    "reports per category per wijk in a period": (
        "SELECT wijk_code, category_id, count(*) AS reports FROM reports"
        " WHERE created_at >= ?1 AND created_at < ?2 GROUP BY wijk_code, category_id"
    ),
}


def parameters(name: str, chat: int, message: int, report: int) -> tuple[Any, ...]:
    """Return plausible parameters for a hot query."""
    now, since = to_text(NOW), to_text(NOW - timedelta(days=90))
    return {
        "/open: open reports per owner": (),
        "/open: a partner's page": ("politie", "", 0, OPEN_SHOWN),
        "/open: the coordinator's page": ("coordinator", "", 0, OPEN_SHOWN),
        "the case message behind a press or reply": (chat, message, report),
        "escalation sweep: reminders": (now,),
        "escalation sweep: escalations": (now,),
        "overdue reports": (now,),
        "reports per category per wijk in a period": (since, now),
        "a wijk's digest counts": ("WK015302", to_text(NOW - timedelta(days=7)), now),
        "/mijnmeldingen": (10_001, 20),
        "the photos of listed reports": (1, 2),
        "which listed reports are held": (1, 2),
        "the held reports (at start-up and when a chat links)": (),
        "the outbox rows to send next": (now, 64),
        "/open: every open report": (),
    }[name]


def timed(run: Callable[[], object]) -> tuple[float, object]:
    """Return the median time of RUNS runs after a warm-up (ms), and the last result."""
    result = run()
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        result = run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


async def atimed(run: Callable[[], Awaitable[object]]) -> tuple[float, object]:
    """Return the median time of RUNS awaited runs after a warm-up (ms), and the last result."""
    result = await run()
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        result = await run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def show_query(
    connection: sqlite3.Connection, name: str, sql: str, params: tuple[Any, ...]
) -> None:
    """Print a query's plan and how long it takes, with how many rows it returns."""
    plan = [row[3] for row in connection.execute(f"EXPLAIN QUERY PLAN {sql}", params)]
    took, rows = timed(lambda: connection.execute(sql, params).fetchall())
    assert isinstance(rows, list)
    print(f"\n{name}: {took:.2f} ms, {len(rows)} rows")
    for line in plan:
        print(f"    {line}")


async def open_first_page(db: Database, before: bool) -> None:
    """Time what /open reads before it formats: every open report, or the counts and a page."""
    if before:

        async def everything() -> int:
            async with db.read() as session:
                rows = await session.fetch_all(BEFORE["/open: every open report"])
                return len(await _with_photos(session, rows))

        took, count = await atimed(everything)
        print(f"\n/open as main reads it (every open report as a Report): {took:.1f} ms, {count}")
        return
    cases = CaseRepository(db)

    async def first_page() -> int:
        counts = await cases.open_counts()
        read = 0
        for found in counts:
            if read >= OPEN_SHOWN:
                break
            page = await cases.open_page(
                found.owner or "coordinator", None, OPEN_SHOWN - read, undecided=not found.owner
            )
            read += len(page)
        return read

    took, count = await atimed(first_page)
    print(f"\n/open, counts and the first {count} reports as Reports: {took:.1f} ms")


def lookups(before: bool) -> None:
    """Print the average buurt lookup time for random points in the bounding box."""
    built = time.perf_counter()
    city = NeighbourhoodMap.from_files(DATA / "buurten.geojson", DATA / "buurten_centroids.csv")
    built = time.perf_counter() - built
    min_lon, min_lat, max_lon, max_lat = city.bounds
    rng = random.Random(12)
    points = [
        (rng.uniform(min_lat, max_lat), rng.uniform(min_lon, max_lon)) for _ in range(200_000)
    ]
    locate: Callable[[float, float], object] = city.locate
    if before:
        tree = shapely.STRtree(city.grid.polygons)
        plane = city._plane

        def exact(latitude: float, longitude: float) -> object:
            point = shapely.Point(plane.xy(latitude, longitude))
            hits = tree.query(point, predicate="intersects")
            if len(hits) == 0:
                hits = tree.query_nearest(point, max_distance=NEAREST_BUURT_METRES)
            return int(min(hits)) if len(hits) else None

        locate = exact
    found = [locate(*point) is not None for point in points[:1000]]
    inside = [p for p, hit in zip(points, found, strict=False) if hit][:400] * 250
    outside = [p for p, hit in zip(points, found, strict=False) if not hit][:400] * 250
    print(f"\nbuurt lookup ({'exact STRtree' if before else 'grid'}; map built in {built:.2f} s)")
    for label, sample in (("all", points), ("inside", inside), ("outside", outside)):
        started = time.perf_counter()
        for latitude, longitude in sample:
            locate(latitude, longitude)
        micro = (time.perf_counter() - started) / len(sample) * 1e6
        print(f"    {label:8} {micro:6.2f} µs per lookup ({len(sample):,} points)")


async def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, default=Path("/tmp/meldbot-scale.sqlite3"))
    parser.add_argument("--schema", type=int, default=None, help="migrate only this far")
    parser.add_argument("--before", action="store_true", help="main's queries and lookup")
    parser.add_argument("--statistics", choices=("none", "sampled", "full"), default="sampled")
    args = parser.parse_args(argv)
    migrations = load_migrations()[: args.schema] if args.schema else None
    print(f"{platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()},")
    print(f"SQLite {sqlite3.sqlite_version}; database {args.db}")
    fresh = not args.db.exists()
    async with await Database.open(args.db, migrations=migrations) as db:
        version = await db.schema_version()
    if fresh:
        started = time.perf_counter()
        seeded = seed(args.db, args.reports, now=NOW)
        print(f"seeded in {time.perf_counter() - started:.0f} s: {seeded}")
    with sqlite3.connect(args.db) as connection:
        connection.execute("DELETE FROM sqlite_stat1")
        if args.statistics != "none":
            limit = ANALYSIS_LIMIT if args.statistics == "sampled" else 0
            connection.execute(f"PRAGMA analysis_limit = {limit}")
            connection.execute("ANALYZE")
    connection = sqlite3.connect(args.db)
    counts = {
        table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for table in ("reports", "report_events", "case_messages", "outbox")
    }
    opened = connection.execute(
        "SELECT count(*) FROM reports WHERE status NOT IN ('resolved', 'cancelled', 'new')"
    ).fetchone()[0]
    print(f"schema {version}, statistics: {args.statistics}; {counts}, {opened} open")
    chat, message, report = connection.execute(
        "SELECT o.chat_id, o.message_id, o.report_id FROM outbox AS o ORDER BY o.id DESC LIMIT 1"
    ).fetchone()
    queries = (
        [(name, sql) for name, sql in BEFORE.items() if not name.startswith("/open")]
        if args.before
        else [(query.name, query.sql) for query in HOT_QUERIES]
    )
    for name, sql in queries:
        show_query(connection, name, sql, parameters(name, chat, message, report))
    connection.close()
    async with await Database.open(args.db, migrations=migrations) as db:
        await open_first_page(db, args.before)
    lookups(args.before)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
