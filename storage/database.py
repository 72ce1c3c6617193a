"""Open Meldbot's SQLite database: one connection, migrations, serialised transactions.

Longer than 300 lines because the write connection, the read connections beside it (one for
residents' reads, one for long background reads), their transactions and the upkeep of them all
(migrations, statistics) share their connection handling.
"""

from __future__ import annotations

import asyncio
import logging
import math
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

import aiosqlite

from storage.handling import current
from storage.migrate import Migration, check_sequence, load_migrations

Params = Sequence[Any]
_WRITE = "BEGIN IMMEDIATE"
FullListener = Callable[[BaseException], None]

log = logging.getLogger(__name__)

ANALYSIS_LIMIT = 1000
"""Rows per index that ANALYZE samples (PRAGMA analysis_limit): enough for the planner."""

_PRAGMAS = (
    "PRAGMA foreign_keys = ON",
    "PRAGMA synchronous = FULL",
    "PRAGMA busy_timeout = 5000",
)


class SchemaTooNewError(RuntimeError):
    """The database was migrated by a newer Meldbot than this one."""

    def __init__(self, path: Path, found: int, known: int) -> None:
        super().__init__(f"{path} has schema version {found}; this Meldbot knows up to {known}")
        self.path = path
        self.found = found
        self.known = known


def is_disk_full(error: BaseException) -> bool:
    """Return whether SQLite failed because the disk (or the size limit) is full."""
    if not isinstance(error, sqlite3.Error):
        return False
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return bool(code & 0xFF == sqlite3.SQLITE_FULL)
    return "database or disk is full" in str(error)


class Session:
    """Run statements inside one transaction; every cursor is closed before returning."""

    def __init__(self, connection: aiosqlite.Connection) -> None:
        self._connection: aiosqlite.Connection | None = connection

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement and return the number of rows it changed."""
        async with self._open().execute(sql, params) as cursor:
            return cursor.rowcount

    async def execute_many(self, sql: str, rows: Iterable[Params]) -> None:
        """Run one statement once for every row of parameters."""
        async with self._open().executemany(sql, rows):
            pass

    async def fetch_all(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        """Run a query and return all its rows."""
        return list(await self._open().execute_fetchall(sql, params))

    async def fetch_one(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        """Run a query and return its first row, or None."""
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None

    async def fetch_value(self, sql: str, params: Params = ()) -> Any:
        """Run a query and return the first column of its first row (None without rows)."""
        row = await self.fetch_one(sql, params)
        return None if row is None else row[0]

    def end(self) -> None:
        """Refuse every further statement: the transaction is over."""
        self._connection = None

    def _open(self) -> aiosqlite.Connection:
        """Return the connection, or raise if the session's transaction has ended."""
        if self._connection is None:
            raise RuntimeError("this session's transaction has ended; open a new one")
        return self._connection


class Database:
    """Meldbot's SQLite file: one connection that writes, transactions taking turns under a
    lock, and one that reads beside it (WAL lets readers work while the writer writes), so a
    long read never keeps a resident's answer from being stored."""

    def __init__(self, path: Path, connection: aiosqlite.Connection) -> None:
        self.path = path
        self._connection = connection
        self._reader: aiosqlite.Connection | None = None
        self._read_lock = asyncio.Lock()
        self._background: aiosqlite.Connection | None = None
        """A second read connection for long reads (statistics, exports), so that they never
        make a resident's read wait; opened at the first such read."""
        self._background_lock = asyncio.Lock()
        self._lock = asyncio.Lock()
        self._owner: asyncio.Task[Any] | None = None
        self._full_listeners: list[FullListener] = []

    @classmethod
    async def open(
        cls,
        path: Path,
        *,
        migrations: Sequence[Migration] | None = None,
        max_bytes: int | None = None,
    ) -> Database:
        """Open (or create) the database at `path`, set its pragmas and migrate it.

        With `max_bytes`, the file may not grow beyond that size: a write that needs more
        fails like on a full disk.
        """
        path.parent.mkdir(parents=True, exist_ok=True)
        connection = await aiosqlite.connect(path, isolation_level=None)
        database = cls(path, connection)
        try:
            connection.row_factory = sqlite3.Row
            await database._configure(max_bytes)
            await database._migrate(load_migrations() if migrations is None else list(migrations))
            await database._open_reader()
        except BaseException:
            await database.close()
            raise
        return database

    async def _open_reader(self) -> None:
        """Open the read connection (query only) beside the write connection."""
        self._reader = await self._query_only_connection()

    async def _query_only_connection(self) -> aiosqlite.Connection:
        """Open a connection that may only read."""
        reader = await aiosqlite.connect(self.path, isolation_level=None)
        try:
            reader.row_factory = sqlite3.Row
            session = Session(reader)
            for pragma in (*_PRAGMAS, "PRAGMA query_only = ON"):
                await session.execute(pragma)
        except BaseException:
            await reader.close()
            raise
        return reader

    def on_full(self, listener: FullListener) -> None:
        """Call `listener` with the error whenever a transaction fails on a full disk."""
        self._full_listeners.append(listener)

    async def close(self) -> None:
        """Wait for the running transactions, refresh stale statistics, close the connections."""
        async with self._background_lock, self._read_lock, self._lock:
            await self._optimize()
            if self._background is not None:
                await self._background.close()
                self._background = None
            if self._reader is not None:
                await self._reader.close()
            await self._connection.close()

    async def optimize(self) -> None:
        """Let SQLite refresh the query planner's statistics where they went stale.

        `PRAGMA optimize` analyses the tables each connection queried whose statistics are
        missing or stale, and `analysis_limit` keeps each analysis to a sample (milliseconds at a
        million reports). Run daily and when closing; a failure is logged, never raised.
        """
        async with self._read_lock, self._lock:
            await self._optimize()

    async def _optimize(self) -> None:
        """Run PRAGMA optimize on both connections (the caller holds both locks)."""
        try:
            await _optimize(Session(self._connection))
            if self._reader is not None:
                reader = Session(self._reader)
                await reader.execute("PRAGMA query_only = OFF")
                try:
                    await _optimize(reader)
                finally:
                    await reader.execute("PRAGMA query_only = ON")
        except (sqlite3.Error, ValueError):  # ValueError: a connection was closed already
            log.warning("could not refresh the query planner's statistics", exc_info=True)

    async def __aenter__(self) -> Database:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    @asynccontextmanager
    async def transaction(self, *, durable: bool = True) -> AsyncIterator[Session]:
        """Run the block as one write transaction (BEGIN IMMEDIATE); roll back on any error.

        A durable transaction is on disk when it commits (synchronous = FULL): reports, the
        outbox, the inbox. `durable=False` is for writes a power cut may take back without
        harm (a draft's latest answer, an update marked done that would be answered again):
        such a commit survives a crash of the process, and is synced at the next durable one.
        """
        async with self._turn(_WRITE, durable=durable) as session:
            yield session

    @asynccontextmanager
    async def read(self, *, background: bool = False) -> AsyncIterator[Session]:
        """Run the block as one read transaction, so its queries see one snapshot.

        Reads use their own connection and never wait for the writer; they see what was
        committed when they began. `background=True` is for long reads (the statistics, the
        exports): they take a connection of their own, so a resident's read never waits
        behind one.
        """
        task = asyncio.current_task()
        if task is not None and self._owner is task:
            raise RuntimeError("a transaction is already open in this task; pass its session on")
        if self._reader is None:
            async with self._turn("BEGIN DEFERRED") as session:
                yield session
            return
        if background:
            async with self._background_lock:
                if self._background is None:
                    self._background = await self._query_only_connection()
                async with self._reading(self._background) as session:
                    yield session
            return
        async with self._read_lock, self._reading(self._reader) as session:
            yield session

    @asynccontextmanager
    async def _reading(self, connection: aiosqlite.Connection) -> AsyncIterator[Session]:
        """One read transaction on a read connection (the caller holds its lock)."""
        session = Session(connection)
        try:
            await session.execute("BEGIN DEFERRED")
            yield session
            await session.execute("COMMIT")
        except BaseException:
            await _rollback(session)
            raise
        finally:
            session.end()

    async def schema_version(self) -> int:
        """Return the schema version (PRAGMA user_version)."""
        async with self.read() as session:
            return int(await session.fetch_value("PRAGMA user_version"))

    @asynccontextmanager
    async def _turn(self, begin: str, *, durable: bool = True) -> AsyncIterator[Session]:
        """Take the lock, begin a transaction, and commit it or roll it back."""
        task = asyncio.current_task()
        if task is not None and self._owner is task:
            raise RuntimeError("a transaction is already open in this task; pass its session on")
        async with self._lock:
            self._owner = task
            session = Session(self._connection)
            try:
                # A cancelled BEGIN still runs on the connection's thread; the ROLLBACK queued
                # after it then ends that transaction, so the next turn starts clean.
                if not durable:
                    await session.execute("PRAGMA synchronous = NORMAL")
                await session.execute(begin)
                yield session
                if begin == _WRITE:
                    await _mark_applied(session)
                await session.execute("COMMIT")
            except BaseException as error:
                await _rollback(session)
                if is_disk_full(error):
                    self._tell_full(error)
                raise
            finally:
                if not durable:
                    await _durable_again(session)
                session.end()
                self._owner = None

    def _tell_full(self, error: BaseException) -> None:
        """Tell every listener that the disk is full."""
        for listener in self._full_listeners:
            try:
                listener(error)
            except Exception:
                log.exception("a full-disk listener failed")

    async def _configure(self, max_bytes: int | None) -> None:
        """Switch to WAL, set the pragmas every connection needs and the size limit, if any."""
        session = Session(self._connection)
        mode = await session.fetch_value("PRAGMA journal_mode = WAL")
        if str(mode).lower() != "wal":
            raise RuntimeError(f"SQLite refused WAL mode (journal_mode is {mode!r})")
        for pragma in _PRAGMAS:
            await session.execute(pragma)
        if max_bytes is not None:
            page_size = int(await session.fetch_value("PRAGMA page_size"))
            pages = max(1, math.floor(max_bytes / page_size))
            await session.fetch_value(f"PRAGMA max_page_count = {pages}")

    async def _migrate(self, migrations: list[Migration]) -> None:
        """Apply every migration newer than the schema, each in its own transaction."""
        check_sequence(migrations)
        latest = len(migrations)
        current = await self.schema_version()
        if current > latest:
            raise SchemaTooNewError(self.path, current, latest)
        for migration in migrations[current:]:
            async with self.transaction() as session:
                # Another process may have migrated while we waited for the write lock.
                version = int(await session.fetch_value("PRAGMA user_version"))
                if version >= migration.version:
                    continue
                for statement in migration.statements():
                    await session.execute(statement)
                violations = await session.fetch_all("PRAGMA foreign_key_check")
                if violations:
                    raise RuntimeError(
                        f"migration {migration.version} ({migration.name}) breaks foreign keys"
                    )
                await session.execute(f"PRAGMA user_version = {migration.version}")


async def _optimize(session: Session) -> None:
    """Analyse, on a sample, the tables this connection queried that lack fresh statistics."""
    await session.execute(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")
    await session.execute("PRAGMA optimize")


async def _rollback(session: Session) -> None:
    """Roll back the open transaction, tolerating one that SQLite already ended."""
    try:
        await session.execute("ROLLBACK")
    except sqlite3.OperationalError as error:
        if "no transaction is active" not in str(error):
            raise


async def _durable_again(session: Session) -> None:
    """Make the connection's next commits durable again."""
    try:
        await session.execute("PRAGMA synchronous = FULL")
    except sqlite3.Error:
        log.exception("could not make commits durable again")


async def _mark_applied(session: Session) -> None:
    """Mark the inbox update being handled as applied, in the transaction of its effects."""
    handling = current()
    if handling is not None:
        await session.execute(
            "UPDATE inbox SET state = 'applied' WHERE update_id = ? AND state = 'new'",
            (handling.update_id,),
        )
