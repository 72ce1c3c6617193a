"""Measure the council statistics at a million reports: /stats, the full report, their memory,
every statistics query's plan, and how long a resident's read waits while a report is built.

Builds (once) a database with the project's schema holding N generated reports over two years
(`tests.storage.seeding`, then a survey for a third of the resolved reports and a follow-up for
two fifths of all), in a child process so its memory does not count. Then, in this process:

- `/stats`: `quick_insight` of the last full quarter (database time) and the PNG (drawing), and
  `compute_insight` (every figure) for comparison;
- the report: `compute_insight` + `render_report` of the same quarter, and the peak RSS;
- `EXPLAIN QUERY PLAN` of every query in storage/insight.py (a SCAN of a table is flagged);
- the longest wait of a resident's read (`/mijnmeldingen`: `reports.list_for_user`, every 20 ms)
  while `/rapport` is built, against the same read with nothing else running.

    .venv/bin/python -m bench.insight                    # 1,000,000 reports
    .venv/bin/python -m bench.insight --reports 100000 --db /tmp/insight-100k.sqlite3
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Coroutine
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.app import build_resolver
from config.loading import load_municipality
from council.maps import Collection, load_maps
from council.picture import stats_picture
from council.report import render_report
from handlers.messages import TelegramMessages
from handlers.texts import languages
from reports.clock import ManualClock
from reports.insight import Period
from services.container import Services
from services.insight import compute_insight, quick_insight
from storage.database import Database
from storage.insight import STATEMENTS, statement

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
QUARTER = Period(date(2026, 7, 1), date(2026, 9, 30))
REASONS = ("snel-opgepakt", "probleem-opgelost", "goed-behandeld", "niets-gedaan", "te-traag")


def build(path: Path, reports: int) -> None:
    """Migrate, seed the reports, add surveys and follow-ups, analyse (run in a child)."""
    from tests.storage.seeding import seed

    async def migrate() -> None:
        database = await Database.open(path)
        await database.close()

    asyncio.run(migrate())
    seed(path, reports, now=NOW)
    rng = random.Random(7)
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA synchronous = OFF")
    connection.execute("BEGIN")
    rows = connection.execute(
        "SELECT id, buurt_code, wijk_code, resolved_at, created_at, status FROM reports"
    ).fetchall()
    surveys, followups = [], []
    for rid, buurt, wijk, resolved, created, status in rows:
        if status == "resolved" and resolved and rng.random() < 1 / 3:
            answered = datetime.fromisoformat(resolved) + timedelta(days=1, hours=rng.random())
            satisfied = int(rng.random() < 0.7)
            reasons = json.dumps([rng.choice(REASONS)])
            unsafe = rng.choice(("often", "sometimes", "never", "never", "never", "never"))
            surveys.append(
                (
                    rid,
                    buurt,
                    wijk,
                    "done",
                    satisfied,
                    reasons,
                    unsafe,
                    resolved,
                    resolved,
                    resolved,
                    answered.isoformat(timespec="microseconds"),
                )
            )
        if rng.random() < 0.4:
            due = datetime.fromisoformat(created) + timedelta(days=3)
            answered = due + timedelta(hours=rng.random() * 48)
            answer = rng.choice(("ongoing", "solved", "solved"))
            followups.append(
                (
                    rid,
                    1,
                    due.isoformat(timespec="microseconds"),
                    answer,
                    answered.isoformat(timespec="microseconds"),
                )
            )
    connection.executemany(
        "INSERT INTO surveys (report_id, buurt_code, wijk_code, state, satisfied, reasons,"
        " feels_unsafe, due_at, expires_at, sent_at, answered_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        surveys,
    )
    connection.executemany(
        "INSERT INTO followups (report_id, number, due_at, answer, answered_at)"
        " VALUES (?, ?, ?, ?, ?)",
        followups,
    )
    connection.execute("COMMIT")
    connection.execute("ANALYZE")
    connection.close()
    print(f"built {len(rows):,} reports, {len(surveys):,} surveys, {len(followups):,} follow-ups")


def plans(path: Path) -> list[tuple[str, str, bool]]:
    """Return (query, plan, scans a table) of every statistics query, with and without a wijk."""
    connection = sqlite3.connect(path)
    found = []
    for name in STATEMENTS:
        for wijk in (None, "WK015301"):
            sql = statement(name, wijk)
            params = [None] * sql.count("?")
            rows = connection.execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()
            plan = " | ".join(str(row[3]) for row in rows)
            scans = any(
                str(row[3]).startswith("SCAN")
                and "USING" not in str(row[3])
                and "VIRTUAL TABLE" not in str(row[3])
                and "CONSTANT" not in str(row[3])
                for row in rows
            )
            found.append((f"{name}{' (wijk)' if wijk else ''}", plan, scans))
    connection.close()
    return found


async def measure(path: Path) -> dict[str, float]:
    """Time /stats and the report, and a resident's read alone and beside /rapport."""
    config = load_municipality()
    database = await Database.open(path)
    svc = Services.create(
        config,
        database,
        clock=ManualClock(NOW),
        messages=TelegramMessages(config),
        locations=build_resolver(config)[0],
        wake=lambda: None,
        languages=languages(),
    )
    buurten, wijken = load_maps(config.neighbourhoods.buurten)
    user = int(await database_user(path))
    results: dict[str, float] = {}
    try:
        await compute_insight(svc, QUARTER)  # warm the caches once
        times, drawing, full = [], [], []
        for _ in range(5):
            started = time.perf_counter()
            insight = await quick_insight(svc, QUARTER)
            times.append(time.perf_counter() - started)
            started = time.perf_counter()
            stats_picture(insight, "nl", "Enschede", buurten, wijken)
            drawing.append(time.perf_counter() - started)
            started = time.perf_counter()
            await compute_insight(svc, QUARTER)
            full.append(time.perf_counter() - started)
        results["stats_db_ms"] = statistics.median(times) * 1000
        results["stats_picture_ms"] = statistics.median(drawing) * 1000
        results["all_figures_db_ms"] = statistics.median(full) * 1000
        results["reports_in_quarter"] = insight.headline.reports
        results["answers_in_quarter"] = insight.city_safety.answers
        report_times = []
        for _ in range(3):
            started = time.perf_counter()
            insight = await compute_insight(svc, QUARTER)
            render_report(insight, config, "nl", buurten, wijken)
            report_times.append(time.perf_counter() - started)
        results["report_s"] = statistics.median(report_times)
        results["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        results["alone_max_ms"], results["alone_p50_ms"] = await reads(svc, user, None)
        results["beside_max_ms"], results["beside_p50_ms"] = await reads(
            svc, user, rapport(svc, buurten, wijken)
        )
    finally:
        await database.close()
    return results


async def database_user(path: Path) -> int:
    connection = sqlite3.connect(path)
    try:
        return int(connection.execute("SELECT user_id FROM reports LIMIT 1").fetchone()[0])
    finally:
        connection.close()


async def rapport(svc: Services, buurten: Collection, wijken: Collection | None) -> None:
    """Build the report as the /rapport handler does: figures, then the HTML in a thread."""
    insight = await compute_insight(svc, QUARTER)
    await asyncio.to_thread(render_report, insight, svc.config, "nl", buurten, wijken)


async def reads(
    svc: Services, user: int, beside: Coroutine[Any, Any, None] | None
) -> tuple[float, float]:
    """Read a resident's reports every 20 ms for 3 s, or while `beside` runs; max and median."""
    waits: list[float] = []
    task = asyncio.ensure_future(beside) if beside is not None else None
    deadline = time.perf_counter() + 3.0
    while (task is not None and not task.done()) or (
        task is None and time.perf_counter() < deadline
    ):
        started = time.perf_counter()
        await svc.reports.list_for_user(user)
        waits.append(time.perf_counter() - started)
        await asyncio.sleep(0.02)
    if task is not None:
        await task
    return max(waits) * 1000, statistics.median(waits) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--build-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    path = args.db or Path(f"/tmp/meldbot-insight-{args.reports}.sqlite3")
    if args.build_only:
        build(path, args.reports)
        return
    if not path.exists():
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.insight",
                "--build-only",
                "--reports",
                str(args.reports),
                "--db",
                str(path),
            ],
            check=True,
        )
        print(f"build: {time.perf_counter() - started:.0f} s")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores,"
        f" Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}"
    )
    for name, plan, scans in plans(path):
        print(f"{'SCAN ' if scans else 'ok   '}{name}: {plan}")
    for key, value in asyncio.run(measure(path)).items():
        print(f"{key}: {value:,.1f}")


if __name__ == "__main__":
    main()
