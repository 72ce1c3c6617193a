"""Opening, migrating and transactions of the SQLite database."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from storage import database
from storage.database import Database, SchemaTooNewError, is_disk_full
from storage.migrate import Migration, load_migrations
from tests.sqlite import opened
from tests.storage.seeding import seed


async def _pragma(db: Database, name: str) -> object:
    async with db.read() as session:
        return await session.fetch_value(f"PRAGMA {name}")


async def _tables(db: Database) -> set[str]:
    async with db.read() as session:
        rows = await session.fetch_all("SELECT name FROM sqlite_schema WHERE type = 'table'")
    return {row["name"] for row in rows}


async def test_open_creates_the_missing_parent_directories(tmp_path: Path) -> None:
    path = tmp_path / "deeper" / "still" / "meldbot.sqlite3"
    async with await Database.open(path):
        assert path.exists()


async def test_pragmas_for_durability_and_integrity_are_in_effect(db: Database) -> None:
    assert await _pragma(db, "journal_mode") == "wal"
    assert await _pragma(db, "foreign_keys") == 1
    assert await _pragma(db, "synchronous") == 2
    assert await _pragma(db, "busy_timeout") == 5000


async def test_a_new_database_gets_every_migration(db: Database) -> None:
    assert await db.schema_version() == len(load_migrations()) >= 1
    assert {"residents", "drafts", "reports", "report_photos", "reference_counters"} <= (
        await _tables(db)
    )


async def test_reopening_applies_no_migration_twice(db_path: Path) -> None:
    async with await Database.open(db_path) as first:
        version = await first.schema_version()
        async with first.transaction() as session:
            await session.execute(
                "INSERT INTO residents (user_id, language, created_at, updated_at)"
                " VALUES (1, 'en', 'x', 'x')"
            )
    async with await Database.open(db_path) as second:
        assert await second.schema_version() == version
        async with second.read() as session:
            assert await session.fetch_value("SELECT count(*) FROM residents") == 1


async def test_migrations_newer_than_the_schema_are_applied_in_order(db_path: Path) -> None:
    shipped = load_migrations()
    extra = [
        Migration(len(shipped) + 1, "notes", "CREATE TABLE notes (id INTEGER PRIMARY KEY);"),
        Migration(len(shipped) + 2, "note_text", "ALTER TABLE notes ADD COLUMN text TEXT;"),
    ]
    async with await Database.open(db_path, migrations=shipped):
        pass
    async with await Database.open(db_path, migrations=[*shipped, *extra]) as db:
        assert await db.schema_version() == len(shipped) + 2
        async with db.transaction() as session:
            await session.execute("INSERT INTO notes (text) VALUES ('ok')")


async def test_a_failing_migration_is_rolled_back_and_keeps_the_old_version(
    db_path: Path,
) -> None:
    shipped = load_migrations()
    broken = Migration(
        len(shipped) + 1,
        "broken",
        "CREATE TABLE half_done (id INTEGER PRIMARY KEY);\nINSERT INTO nowhere VALUES (1);\n",
    )
    with pytest.raises(sqlite3.OperationalError, match="nowhere"):
        await Database.open(db_path, migrations=[*shipped, broken])
    async with await Database.open(db_path) as db:
        assert await db.schema_version() == len(shipped)
        assert "half_done" not in await _tables(db)


async def test_a_database_from_a_newer_meldbot_is_refused(db_path: Path) -> None:
    async with await Database.open(db_path) as db, db.transaction() as session:
        await session.execute("PRAGMA user_version = 99")
    with pytest.raises(SchemaTooNewError):
        await Database.open(db_path)


async def test_migrations_with_a_gap_are_refused(db_path: Path) -> None:
    with pytest.raises(ValueError, match="without gaps"):
        await Database.open(db_path, migrations=[Migration(2, "two", "SELECT 1;")])


async def test_a_transaction_that_raises_is_rolled_back(db: Database) -> None:
    with pytest.raises(LookupError):
        async with db.transaction() as session:
            await session.execute(
                "INSERT INTO residents (user_id, language, created_at, updated_at)"
                " VALUES (1, 'nl', 'x', 'x')"
            )
            raise LookupError("boom")
    async with db.read() as session:
        assert await session.fetch_value("SELECT count(*) FROM residents") == 0


async def test_a_cancelled_transaction_is_rolled_back_and_the_next_one_works(
    db: Database,
) -> None:
    inside = asyncio.Event()

    async def slow_writer() -> None:
        async with db.transaction() as session:
            await session.execute(
                "INSERT INTO residents (user_id, language, created_at, updated_at)"
                " VALUES (1, 'nl', 'x', 'x')"
            )
            inside.set()
            await asyncio.sleep(30)

    task = asyncio.create_task(slow_writer())
    await inside.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    async with db.transaction() as session:
        assert await session.fetch_value("SELECT count(*) FROM residents") == 0


async def test_a_nested_transaction_in_the_same_task_is_refused_instead_of_hanging(
    db: Database,
) -> None:
    async with db.transaction():
        with pytest.raises(RuntimeError, match="already open"):
            async with db.read():
                pass


async def test_close_twice_is_harmless(db_path: Path) -> None:
    db = await Database.open(db_path)
    await db.close()
    await db.close()


async def test_a_session_kept_after_its_transaction_is_refused(db: Database) -> None:
    async with db.transaction() as session:
        pass
    with pytest.raises(RuntimeError, match="has ended"):
        await session.fetch_all("SELECT 1")


async def test_a_database_at_its_size_limit_fails_like_a_full_disk_and_says_so(
    db_path: Path,
) -> None:
    async with await Database.open(db_path) as db:
        pages = await _pragma(db, "page_count")
        size = await _pragma(db, "page_size")
    assert isinstance(pages, int)
    assert isinstance(size, int)
    told: list[BaseException] = []
    async with await Database.open(db_path, max_bytes=pages * size) as db:
        db.on_full(told.append)
        with pytest.raises(sqlite3.OperationalError) as raised:
            async with db.transaction() as session:
                await session.execute("CREATE TABLE filler (x BLOB)")
                await session.execute("INSERT INTO filler VALUES (zeroblob(100000))")
        assert is_disk_full(raised.value)
        assert told == [raised.value]
        assert "filler" not in await _tables(db)


async def test_a_read_does_not_wait_for_a_write_transaction_in_progress(db: Database) -> None:
    writing = asyncio.Event()
    finish = asyncio.Event()

    async def slow_writer() -> None:
        async with db.transaction() as session:
            await session.execute(
                "INSERT INTO residents (user_id, created_at, updated_at) VALUES (1, 'a', 'a')"
            )
            writing.set()
            await finish.wait()

    writer = asyncio.create_task(slow_writer())
    await writing.wait()
    async with asyncio.timeout(2):
        async with db.read() as session:
            seen = await session.fetch_value("SELECT count(*) FROM residents")
    assert seen == 0, "the read sees what was committed when it began"
    finish.set()
    await writer
    async with db.read() as session:
        assert await session.fetch_value("SELECT count(*) FROM residents") == 1


async def test_a_read_connection_cannot_write(db: Database) -> None:
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        async with db.read() as session:
            await session.execute("DELETE FROM residents")


async def test_a_transaction_that_need_not_be_synced_leaves_the_next_one_durable(
    db: Database,
) -> None:
    async with db.transaction(durable=False) as session:
        assert await session.fetch_value("PRAGMA synchronous") == 1
    async with db.transaction() as session:
        assert await session.fetch_value("PRAGMA synchronous") == 2


def _analysed(path: Path) -> set[str]:
    """Return the tables the query planner has statistics for."""
    with opened(path) as connection:
        if not connection.execute(
            "SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_stat1'"
        ).fetchone():
            return set()
        return {row[0] for row in connection.execute("SELECT DISTINCT tbl FROM sqlite_stat1")}


async def _seeded(path: Path) -> None:
    async with await Database.open(path):
        pass
    seed(path, 500, now=datetime(2026, 12, 1, tzinfo=UTC))
    with opened(path) as connection:
        connection.execute("DELETE FROM sqlite_stat1")


async def test_closing_refreshes_the_statistics_of_the_tables_that_were_read(
    tmp_path: Path,
) -> None:
    path = tmp_path / "meldbot.sqlite3"
    await _seeded(path)
    assert _analysed(path) == set()
    async with await Database.open(path) as db, db.read() as session:
        await session.fetch_all("SELECT id FROM reports WHERE user_id = 10001")
    assert "reports" in _analysed(path)


async def test_the_daily_refresh_of_statistics_leaves_the_reader_read_only(
    tmp_path: Path,
) -> None:
    path = tmp_path / "meldbot.sqlite3"
    await _seeded(path)
    async with await Database.open(path) as db:
        async with db.read() as session:
            await session.fetch_all("SELECT id FROM outbox WHERE chat_id = -1000001")
        await db.optimize()
        assert "outbox" in _analysed(path)
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            async with db.read() as session:
                await session.execute("DELETE FROM reports")


async def test_a_long_background_read_never_makes_a_residents_read_wait(db: Database) -> None:
    holding = asyncio.Event()
    release = asyncio.Event()

    async def statistics() -> int:
        async with db.read(background=True) as session:
            holding.set()
            await release.wait()  # a statistics query that takes its time
            row = await session.fetch_one("SELECT COUNT(*) FROM reports")
            return int(row[0]) if row is not None else -1

    long_read = asyncio.ensure_future(statistics())
    await holding.wait()
    async with db.read() as session:  # a resident's read: it does not wait for the long one
        assert await session.fetch_one("SELECT 1") is not None
    assert not long_read.done()
    release.set()
    assert await long_read == 0


_RESIDENT = (
    "INSERT INTO residents (user_id, language, created_at, updated_at) VALUES (?, 'nl', 'x', 'x')"
)


async def test_a_statement_added_for_later_runs_before_the_next_one_and_tells_its_count(
    db: Database,
) -> None:
    async with db.transaction() as session:
        first = session.add(_RESIDENT, (1,))
        with pytest.raises(RuntimeError, match="not run yet"):
            _ = first.rowcount
        # The next statement sees what the added one did: it ran first, in the same trip.
        assert await session.fetch_value("SELECT count(*) FROM residents") == 1
        assert first.rowcount == 1
        last = session.add("UPDATE residents SET language = 'en' WHERE user_id IN (1, 2)")
    assert last.rowcount == 1  # ran with the commit
    assert await db.fetch_value("SELECT language FROM residents WHERE user_id = 1") == "en"


async def test_a_statement_added_for_later_that_fails_rolls_back_the_whole_transaction(
    db: Database,
) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        async with db.transaction() as session:
            await session.execute(_RESIDENT, (1,))
            session.add(_RESIDENT, (1,))  # the same key again: fails at the commit
    assert await db.fetch_value("SELECT count(*) FROM residents") == 0
    async with db.transaction() as session:  # and the connection is fine afterwards
        await session.execute(_RESIDENT, (2,))
    assert await db.fetch_value("SELECT count(*) FROM residents") == 1


async def test_a_transaction_that_raises_before_any_statement_leaves_the_connection_clean(
    db: Database,
) -> None:
    with pytest.raises(LookupError):
        async with db.transaction(durable=False) as session:
            session.add(_RESIDENT, (1,))
            raise LookupError("before anything was sent")
    async with db.transaction() as session:
        assert await session.fetch_value("PRAGMA synchronous") == 2
        await session.execute(_RESIDENT, (2,))
    assert [row[0] for row in await db.fetch_all("SELECT user_id FROM residents")] == [2]


async def test_a_single_query_reads_what_was_committed_but_not_inside_a_transaction(
    db: Database,
) -> None:
    assert await db.fetch_one("SELECT * FROM residents") is None
    async with db.transaction() as session:
        await session.execute(_RESIDENT, (7,))
        with pytest.raises(RuntimeError, match="already open"):
            await db.fetch_value("SELECT count(*) FROM residents")
    assert await db.fetch_value("SELECT user_id FROM residents") == 7
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        await db.fetch_all("DELETE FROM residents RETURNING user_id")


async def test_a_statement_added_for_later_tells_what_it_returned(db: Database) -> None:
    async with db.transaction() as session:
        await session.execute(_RESIDENT, (1,))
        inserted = session.add(
            "INSERT INTO residents (user_id, language, created_at, updated_at)"
            " VALUES (1, 'nl', 'x', 'x'), (2, 'en', 'x', 'x')"
            " ON CONFLICT (user_id) DO NOTHING RETURNING user_id"
        )
    assert [row[0] for row in inserted.rows] == [2]
    assert inserted.rowcount == 1


_ENGLISH = "UPDATE residents SET language = 'en' WHERE user_id = ?"


async def _language(db: Database, user_id: int) -> str:
    return str(await db.fetch_value("SELECT language FROM residents WHERE user_id = ?", (user_id,)))


async def test_a_statement_given_a_ride_is_written_with_the_next_write_transaction(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database, "RIDE_WAIT", 3600.0)
    async with db.transaction() as session:
        await session.execute(_RESIDENT, (1,))
    db.ride(_ENGLISH, (1,))
    assert await _language(db, 1) == "nl", "not written by itself"
    async with db.read() as session:  # a read carries nothing
        await session.fetch_value("SELECT count(*) FROM residents")
    assert await _language(db, 1) == "nl"
    async with db.transaction(durable=False) as session:
        session.add(_RESIDENT, (2,))
    assert await _language(db, 1) == "en", "it rode with the next write"


async def test_a_statement_given_a_ride_with_no_transaction_coming_is_written_alone(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database, "RIDE_WAIT", 0.01)
    async with db.transaction() as session:
        await session.execute(_RESIDENT, (1,))
    db.ride(_ENGLISH, (1,))
    for _ in range(200):
        if await _language(db, 1) == "en":
            break
        await asyncio.sleep(0.01)
    assert await _language(db, 1) == "en"


async def test_statements_waiting_for_a_ride_are_written_at_close(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database, "RIDE_WAIT", 3600.0)
    db = await Database.open(db_path)
    async with db.transaction() as session:
        await session.execute(_RESIDENT, (1,))
    db.ride(_ENGLISH, (1,))
    await db.close()
    with opened(db_path) as connection:
        assert connection.execute("SELECT language FROM residents").fetchall() == [("en",)]


async def test_a_statement_that_fails_its_ride_stops_riding_with_the_others(
    db: Database, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A rider that fails takes its carrier down once; after that it waits for a transaction
    of its own, so the others' writes go on."""
    monkeypatch.setattr(database, "RIDE_WAIT", 3600.0)
    monkeypatch.setattr(database, "_RIDE_RETRY", 0.01)
    async with db.transaction() as session:
        await session.execute(_RESIDENT, (1,))
    db.ride(_RESIDENT, (1,))  # the same key again: can never be written
    with pytest.raises(sqlite3.IntegrityError):
        async with db.transaction() as session:
            session.add(_RESIDENT, (2,))
    for user_id in (3, 4):
        async with db.transaction() as session:
            session.add(_RESIDENT, (user_id,))
    assert [row[0] for row in await db.fetch_all("SELECT user_id FROM residents")] == [1, 3, 4]
    for _ in range(200):
        if "queued statement(s) failed" in caplog.text:
            break
        await asyncio.sleep(0.01)
    assert "writing 1 queued statement(s) failed" in caplog.text
