"""Run one use case as one transaction: the unit of work.

    async with uow() as work:
        report = await work.cases.act(...)
        await work.outbox.enqueue(...)

Everything written through `work` commits together when the block ends, or rolls back when it
raises. Rows queued for sending wake the outbox dispatcher once the transaction has committed,
never before (the dispatcher would find nothing) and never after a rollback.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass

from storage.case_store import CaseStore
from storage.database import Database, Session
from storage.outbox import OutboxStore


@dataclass
class Work:
    """The open transaction of a unit of work, with its session-bound stores."""

    session: Session
    cases: CaseStore
    outbox: OutboxStore


UnitOfWorkFactory = Callable[[], AbstractAsyncContextManager[Work]]


def unit_of_work(database: Database, wake: Callable[[], None]) -> UnitOfWorkFactory:
    """Return a factory of units of work on the database that ring `wake` after a commit."""

    @asynccontextmanager
    async def work() -> AsyncIterator[Work]:
        async with database.transaction() as session:
            current = Work(session, CaseStore(session), OutboxStore(session))
            yield current
        if current.outbox.queued:
            wake()

    return work
