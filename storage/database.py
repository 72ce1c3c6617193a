"""Open Meldbot's SQLite database: one connection, migrations, serialised transactions.

Longer than 300 lines because the write connection, the read connections beside it (one for
residents' reads, one for long background reads), their transactions and the upkeep of them all
(migrations, statistics) share their connection handling.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import math
import sqlite3
from collections.abc import AsyncIterator, Callable, Hashable, Iterable, Sequence
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

RIDE_WAIT = 0.05
"""Seconds a statement queued with `Database.ride` waits for a write transaction to carry it,
before one is made for it."""
_RIDE_RETRY = 1.0

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


Step = tuple[str, Params]
"""One SQL statement and its parameters."""


class Later:
    """What a statement run later (`Session.add`) changed and returned, known once it ran."""

    __slots__ = ("_rowcount", "_rows")

    def __init__(self) -> None:
        self._rowcount: int | None = None
        self._rows: list[sqlite3.Row] = []

    @property
    def rows(self) -> list[sqlite3.Row]:
        """Return the rows the statement returned (RETURNING); raise if it did not run yet."""
        _ = self.rowcount
        return self._rows

    @property
    def rowcount(self) -> int:
        """Return the number of rows the statement changed; raise if it did not run yet."""
        if self._rowcount is None:
            raise RuntimeError("the statement has not run yet: read this after the transaction")
        return self._rowcount


class _Rows:
    """`fetch_one` and `fetch_value` on top of a class's own `fetch_all`."""

    async def fetch_all(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        raise NotImplementedError

    async def fetch_one(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        """Run a query and return its first row, or None."""
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None

    async def fetch_value(self, sql: str, params: Params = ()) -> Any:
        """Run a query and return the first column of its first row (None without rows)."""
        row = await self.fetch_one(sql, params)
        return None if row is None else row[0]


class Session(_Rows):
    """Run statements inside one transaction; every cursor is closed before returning.

    Each call is one hand-off to the connection's thread and back, which costs more than most
    of Meldbot's statements themselves; so the statements that open a transaction (`before`)
    run in the same hand-off as its first statement, and `close` ends it in one more.
    """

    def __init__(self, connection: aiosqlite.Connection, before: Sequence[Step] = ()) -> None:
        self._connection: aiosqlite.Connection | None = connection
        self._opening: list[Step] = list(before)
        self._queued: list[Step] = []
        self._laters: list[Later | None] = []
        self._started = not self._opening
        self.memo: dict[Hashable, Any] = {}
        """What this transaction read and may read again (`storage.residents`,
        `storage.case_store`): its snapshot cannot change but by its own writes, and every
        function writing what a memo holds forgets it."""

    @property
    def started(self) -> bool:
        """Whether the statements that open the transaction were sent (with a first statement)."""
        return self._started

    def add(self, sql: str, params: Params = ()) -> Later:
        """Run a statement whose result is not needed at once with the next one (at the latest
        with the transaction's end), saving a hand-off; an error it raises is raised there.
        The returned `Later` tells how many rows it changed once it ran."""
        self._open()
        later = Later()
        self._queued.append((sql, params))
        self._laters.append(later)
        return later

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement and return the number of rows it changed."""
        return int(await self._hand_off(_rowcount, sql, params))

    async def execute_many(self, sql: str, rows: Iterable[Params]) -> None:
        """Run one statement once for every row of parameters."""
        await self._hand_off(_many, sql, list(rows))

    async def fetch_all(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        """Run a query and return all its rows."""
        rows: list[sqlite3.Row] = await self._hand_off(_rows, sql, params)
        return rows

    async def close(self, steps: Sequence[Step], *, always: Sequence[str] = ()) -> None:
        """Run the statements still waiting to open the transaction, then `steps` (its end),
        in one hand-off; `always` runs after them even when one failed (errors logged)."""
        connection = self._open()
        before, laters = self._pending()
        counts = await _on_thread(connection, _script, connection, [*before, *steps], list(always))
        _settle(laters, counts)

    def end(self) -> None:
        """Refuse every further statement: the transaction is over."""
        self._connection = None

    async def _hand_off(self, run: Callable[..., Any], sql: str, params: Any) -> Any:
        """Run `run(cursor-owner, sql, params)` on the connection's thread, after the
        statements still waiting to open the transaction."""
        connection = self._open()
        before, laters = self._pending()
        counts, result = await _on_thread(
            connection, _statement, connection, before, run, sql, params
        )
        _settle(laters, counts)
        return result

    def _pending(self) -> tuple[list[Step], list[Later | None]]:
        """Return (and forget) what must run before the next statement: the transaction's
        opening, the first time, and the statements `add`ed since the last hand-off; with
        the `Later` of each (None for the opening)."""
        pending = [*self._opening, *self._queued]
        laters = [*([None] * len(self._opening)), *self._laters]
        self._opening, self._queued, self._laters, self._started = [], [], [], True
        return pending, laters

    def _open(self) -> aiosqlite.Connection:
        """Return the connection, or raise if the session's transaction has ended."""
        if self._connection is None:
            raise RuntimeError("this session's transaction has ended; open a new one")
        return self._connection


async def _on_thread(connection: aiosqlite.Connection, run: Callable[..., Any], *args: Any) -> Any:
    """Run `run(*args)` on the connection's own thread, in turn with its other calls.

    aiosqlite's public calls each take one hand-off per statement (two for a statement whose
    cursor is closed); its `_execute` (stable since 0.17, the pinned range is < 0.23) runs any
    function there, so a transaction's opening, first statement and end take one each.
    """
    return await connection._execute(run, *args)  # type: ignore[no-untyped-call]


def _settle(laters: Sequence[Later | None], done: Sequence[tuple[int, list[sqlite3.Row]]]) -> None:
    """Tell each statement run later how many rows it changed and what it returned."""
    for later, (count, rows) in zip(laters, done, strict=False):
        if later is not None:
            later._rowcount, later._rows = count, rows


# What runs on a connection's own thread (aiosqlite's worker): plain sqlite3 calls.


def _statement(
    connection: aiosqlite.Connection,
    before: Sequence[Step],
    run: Callable[[sqlite3.Connection, str, Any], Any],
    sql: str,
    params: Any,
) -> tuple[list[tuple[int, list[sqlite3.Row]]], Any]:
    raw = connection._conn
    done = [_step(raw, step_sql, step_params) for step_sql, step_params in before]
    return done, run(raw, sql, params)


def _rowcount(raw: sqlite3.Connection, sql: str, params: Params) -> int:
    cursor = raw.execute(sql, params)
    try:
        return cursor.rowcount
    finally:
        cursor.close()


def _step(raw: sqlite3.Connection, sql: str, params: Params) -> tuple[int, list[sqlite3.Row]]:
    cursor = raw.execute(sql, params)
    try:
        rows = cursor.fetchall()  # none but for RETURNING; the count is final after them
        return cursor.rowcount, rows
    finally:
        cursor.close()


def _many(raw: sqlite3.Connection, sql: str, rows: list[Params]) -> None:
    raw.executemany(sql, rows).close()


def _rows(raw: sqlite3.Connection, sql: str, params: Params) -> list[sqlite3.Row]:
    cursor = raw.execute(sql, params)
    try:
        return cursor.fetchall()
    finally:
        cursor.close()


def _script(
    connection: aiosqlite.Connection, steps: Sequence[Step], always: Sequence[str]
) -> list[tuple[int, list[sqlite3.Row]]]:
    raw = connection._conn
    try:
        return [_step(raw, sql, params) for sql, params in steps]
    finally:
        for sql in always:
            try:
                raw.execute(sql).close()
            except sqlite3.Error:
                log.exception("could not run %s", sql)


class Database(_Rows):
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
        self._riders: list[Step] = []
        self._riding = True
        """Whether waiting statements ride with other transactions: not after a transaction
        carrying them failed, until they were written in one of their own (so that one bad
        statement cannot fail everybody's transactions)."""
        self._ride_timer: asyncio.TimerHandle | None = None
        self._ride_task: asyncio.Task[None] | None = None

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
        if self._ride_task is not None and not self._ride_task.done():
            self._ride_task.cancel()  # what it carried waits again, and is written below
            await asyncio.gather(self._ride_task, return_exceptions=True)
        async with self._background_lock, self._read_lock, self._lock:
            self._cancel_ride_timer()
            if self._riders:
                riders, self._riders = self._riders, []
                try:
                    await Session(self._connection).close([(_WRITE, ()), *riders, ("COMMIT", ())])
                except (sqlite3.Error, ValueError):
                    log.warning("could not write %d queued statement(s)", len(riders))
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

    def ride(self, sql: str, params: Params = ()) -> None:
        """Run a write statement with the next write transaction, whoever makes it: one
        hand-off to SQLite's thread less than a transaction of its own. When none comes
        within `RIDE_WAIT` seconds, one is made for it (not synced at once, like
        `durable=False`); the database's `close` writes what still waits.

        For bookkeeping that may be lost in a crash without harm, since until it is written
        the database does not show it: an update marked done (it would be answered again).
        """
        self._riders.append((sql, (*params,)))
        if self._ride_timer is None and (self._ride_task is None or self._ride_task.done()):
            self._arm_ride_timer(RIDE_WAIT)

    async def write_riders(self) -> None:
        """Write the statements waiting for a ride now (in a transaction of their own)."""
        if self._riders:
            async with self._turn(_WRITE, durable=False, riders=True):
                pass
            self._riding = True

    def _arm_ride_timer(self, delay: float) -> None:
        loop = asyncio.get_running_loop()
        # An empty context: the transaction made for them belongs to no update's handling.
        self._ride_timer = loop.call_later(delay, self._start_ride, context=contextvars.Context())

    def _cancel_ride_timer(self) -> None:
        if self._ride_timer is not None:
            self._ride_timer.cancel()
            self._ride_timer = None

    def _start_ride(self) -> None:
        self._ride_timer = None
        self._ride_task = asyncio.create_task(self._ride_alone(), name="meldbot:riders")

    async def _ride_alone(self) -> None:
        """Write the waiting statements in a transaction of their own; retry on failure."""
        delay = RIDE_WAIT
        try:
            await self.write_riders()
        except Exception as error:
            log.warning("writing %d queued statement(s) failed: %s", len(self._riders), error)
            delay = _RIDE_RETRY
        if self._riders and self._ride_timer is None:  # came while these were written
            self._arm_ride_timer(delay)

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

    async def fetch_all(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        """Run one query on its own, on the read connection, and return its rows.

        A single statement sees one snapshot by itself, so it needs no read transaction
        around it: one hand-off to SQLite's thread instead of two. For several queries that
        must agree with each other, use `read`. (`fetch_one` and `fetch_value` likewise.)
        """
        task = asyncio.current_task()
        if task is not None and self._owner is task:
            raise RuntimeError("a transaction is already open in this task; pass its session on")
        if self._reader is None:
            async with self.read() as session:
                return await session.fetch_all(sql, params)
        async with self._read_lock:
            return await Session(self._reader).fetch_all(sql, params)

    @asynccontextmanager
    async def _reading(self, connection: aiosqlite.Connection) -> AsyncIterator[Session]:
        """One read transaction on a read connection (the caller holds its lock)."""
        session = Session(connection, before=[("BEGIN DEFERRED", ())])
        try:
            yield session
            if session.started:  # a block that read nothing opened no transaction
                await session.close([("COMMIT", ())])
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
    async def _turn(
        self, begin: str, *, durable: bool = True, riders: bool | None = None
    ) -> AsyncIterator[Session]:
        """Take the lock, begin a transaction, and commit it or roll it back; a write
        transaction carries the statements waiting for a ride (`riders`: whether it must;
        by default when they may ride)."""
        task = asyncio.current_task()
        if task is not None and self._owner is task:
            raise RuntimeError("a transaction is already open in this task; pass its session on")
        async with self._lock:
            self._owner = task
            opening: list[Step] = [] if durable else [("PRAGMA synchronous = NORMAL", ())]
            restore = () if durable else ("PRAGMA synchronous = FULL",)
            session = Session(self._connection, before=[*opening, (begin, ())])
            carried: list[Step] = []
            try:
                # A cancelled statement still runs on the connection's thread; the ROLLBACK
                # queued after it then ends that transaction, so the next turn starts clean.
                yield session
                closing: list[Step] = []
                handling = current()
                if begin == _WRITE and handling is not None:
                    # The inbox update being handled is applied in the transaction of its
                    # effects.
                    closing.append(
                        (
                            "UPDATE inbox SET state = 'applied'"
                            " WHERE update_id = ? AND state = 'new'",
                            (handling.update_id,),
                        )
                    )
                if begin == _WRITE and (self._riding if riders is None else riders):
                    carried, self._riders = self._riders, []
                    self._cancel_ride_timer()
                await session.close([*closing, *carried, ("COMMIT", ())], always=restore)
            except BaseException as error:
                if carried:  # they wait for a transaction of their own instead
                    self._riders[:0] = carried
                    self._riding = False
                    if self._ride_timer is None:
                        self._arm_ride_timer(_RIDE_RETRY)
                await _rollback(session, always=restore)
                if is_disk_full(error):
                    self._tell_full(error)
                raise
            finally:
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


async def _rollback(session: Session, *, always: Sequence[str] = ()) -> None:
    """Roll back the open transaction, tolerating one that SQLite already ended (or that never
    began), then run `always`."""
    if not session.started:
        return  # nothing was sent: no transaction, and the connection's settings are unchanged
    try:
        await session.close([("ROLLBACK", ())], always=always)
    except sqlite3.OperationalError as error:
        if "no transaction is active" not in str(error):
            raise
