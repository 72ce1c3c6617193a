"""Every query on a hot path is served by its index at scale, with and without statistics."""

from __future__ import annotations

import asyncio
import re
import shutil
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from storage.cases import CaseRepository
from storage.database import ANALYSIS_LIMIT, Database
from storage.digests import category_counts_per_wijk
from storage.hot_queries import HOT_QUERIES, LARGE_TABLES, HotQuery
from storage.timestamps import to_text
from tests.sqlite import opened
from tests.storage.seeding import seed

REPORTS = 30_000
NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
_ALIAS = re.compile(r"\b(\w+) AS (\w+)\b")
_SCAN = re.compile(r"^SCAN (\w+)(?: USING (?:COVERING )?INDEX (\w+))?")


def _plan(connection: sqlite3.Connection, sql: str) -> list[str]:
    """Return the plan's lines; the parameters are left NULL (plans do not depend on them)."""
    numbered = [int(n) for n in re.findall(r"\?(\d+)", sql)]
    count = max(numbered) if numbered else sql.count("?")
    return [row[3] for row in connection.execute(f"EXPLAIN QUERY PLAN {sql}", [None] * count)]


@pytest.fixture(scope="module")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """A seeded database after ANALYZE, a copy without statistics (as after a start), and one
    with statistics from a small sample (as `Database.optimize` leaves them)."""
    folder = tmp_path_factory.mktemp("hot")
    analysed = folder / "analysed.sqlite3"

    async def migrate() -> None:
        async with await Database.open(analysed):
            pass

    asyncio.run(migrate())
    seeded = seed(analysed, REPORTS, now=NOW)
    assert seeded.reports == REPORTS and seeded.case_messages > REPORTS
    bare = folder / "bare.sqlite3"
    shutil.copyfile(analysed, bare)
    with opened(bare) as connection:
        connection.execute("DELETE FROM sqlite_stat1")
    sampled = folder / "sampled.sqlite3"
    shutil.copyfile(bare, sampled)
    with opened(sampled) as connection:
        connection.execute(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT // 10}")
        connection.execute("ANALYZE")
    yield {"analysed": analysed, "without statistics": bare, "sampled": sampled}


def full_scans(query: HotQuery, plan: list[str], partial: set[str]) -> list[str]:
    """Return the plan lines that scan a large table whole (a partial index is no whole scan)."""
    aliases = {alias: table for table, alias in _ALIAS.findall(query.sql)}
    found = []
    for line in plan:
        match = _SCAN.match(line)
        if match is None:
            continue
        table = aliases.get(match[1], match[1])
        if table in LARGE_TABLES and match[2] not in partial:
            found.append(line)
    return found


@pytest.mark.parametrize("state", ["analysed", "without statistics", "sampled"])
@pytest.mark.parametrize("query", HOT_QUERIES, ids=lambda query: query.name)
def test_a_hot_query_uses_its_index_and_scans_no_large_table(
    databases: dict[str, Path], state: str, query: HotQuery
) -> None:
    connection = sqlite3.connect(databases[state])
    try:
        plan = _plan(connection, query.sql)
        partial = {
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND sql LIKE '% WHERE %'"
            )
        }
    finally:
        connection.close()
    text = "\n".join(plan)
    assert full_scans(query, plan, partial) == [], text
    for index in query.indexes:
        assert re.search(rf"\bINDEX {index}\b", text), f"{index} is not used:\n{text}"


def test_the_check_sees_a_full_scan_through_an_alias() -> None:
    query = HotQuery("bad", "SELECT * FROM case_messages AS c WHERE c.action = 'x'", ())
    assert full_scans(query, ["SCAN c"], set()) == ["SCAN c"]
    assert full_scans(query, ["SCAN c USING INDEX some_partial"], {"some_partial"}) == []
    assert full_scans(query, ["SCAN c USING INDEX whole"], {"some_partial"}) != []
    assert full_scans(query, ["SCAN (subquery-3)"], set()) == []


async def test_the_counts_per_wijk_and_category_are_those_of_a_plain_group_by(
    databases: dict[str, Path],
) -> None:
    since, until = NOW - timedelta(days=90), NOW
    with opened(databases["analysed"]) as connection:
        rows = connection.execute(
            "SELECT wijk_code, category_id, count(*) FROM reports"
            " WHERE created_at >= ? AND created_at < ? GROUP BY 1, 2",
            (to_text(since), to_text(until)),
        ).fetchall()
    expected: dict[str, dict[str, int]] = {}
    for wijk, category, count in rows:
        expected.setdefault(wijk, {})[category] = count
    async with await Database.open(databases["analysed"]) as db, db.read() as session:
        assert await category_counts_per_wijk(session, since, until) == expected
    assert sum(map(len, expected.values())) > 50


async def test_open_reports_page_by_page_come_oldest_first_per_owner(
    databases: dict[str, Path],
) -> None:
    with opened(databases["analysed"]) as connection:
        rows = connection.execute(
            "SELECT id, CASE WHEN status = 'rejected' THEN '' ELSE lead_partner END"
            " FROM reports WHERE status NOT IN ('resolved', 'cancelled', 'new')"
            " ORDER BY created_at, id"
        ).fetchall()
    async with await Database.open(databases["analysed"]) as db:
        cases = CaseRepository(db)
        counts = {found.owner: found.reports for found in await cases.open_counts()}
        assert sum(counts.values()) == len(rows)
        for owner, undecided in (("politie", False), ("coordinator", True)):
            expected = [i for i, o in rows if o == owner or (undecided and o == "")]
            listed: list[int] = []
            after = None
            while page := await cases.open_page(owner, after, 97, undecided=undecided):
                listed += [report.id for report in page]
                after = (page[-1].created_at, page[-1].id)
            assert listed == expected and len(expected) > 97
