"""Read cases outside a use case: reports by status and deadline, audit trails, messages.

The queries the coordinator and the escalation sweep run are module constants, so that
`storage.hot_queries` can have their query plans checked.

Changes go through a unit of work (`storage.case_store.CaseStore`); `act` and `note` here run
one in their own transaction, for tests and tools that change a single case.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from reports.models import Report, ReportStatus
from reports.records import Actor, CaseEvent, CaseMessage
from reports.workflow import CaseAction
from storage.case_store import (
    CaseStore,
    Changes,
    find_case_message,
    linked_chats,
    load_events,
    load_report,
    sent_messages,
)
from storage.database import Database
from storage.holding import held_ids
from storage.reports import _COLUMNS, _with_photos
from storage.timestamps import to_text

OPEN = "status NOT IN ('resolved', 'cancelled', 'new')"
"""An open report, as the partial index `reports_open` says it (the same words, or no index)."""
OPEN_OWNER = "CASE WHEN status = 'rejected' THEN '' ELSE coalesce(lead_partner, '') END"
"""Whose list an open report is on: its lead partner, or '' when the coordinator decides."""
OPEN_COUNTS = (
    f"SELECT {OPEN_OWNER} AS owner, count(*) AS reports, min(created_at) AS oldest"
    f" FROM reports WHERE {OPEN} GROUP BY owner"
)
_OPEN_AFTER = f"SELECT {_COLUMNS} FROM reports WHERE {OPEN} AND (created_at, id) > (?2, ?3)"
OPEN_PAGE = f"{_OPEN_AFTER} AND {OPEN_OWNER} = ?1 ORDER BY created_at, id LIMIT ?4"
OPEN_PAGE_UNDECIDED = (
    f"{_OPEN_AFTER} AND {OPEN_OWNER} = '' UNION ALL {_OPEN_AFTER} AND {OPEN_OWNER} = ?1"
    " ORDER BY created_at, id LIMIT ?4"
)
UNCLAIMED = "status IN ('routed', 'reopened') AND escalated_at IS NULL"
"""Unclaimed and not escalated, as the partial index `reports_unclaimed_due` says it."""
_SWEEP = f"SELECT {_COLUMNS} FROM reports WHERE {UNCLAIMED} AND due_at <= ?1"
OVERDUE = f"{_SWEEP} ORDER BY due_at, id"
DUE_FOR_REMINDER = f"{_SWEEP} AND reminded_at IS NULL ORDER BY due_at, id"
DUE_FOR_ESCALATION = f"{_SWEEP} AND reminded_at IS NOT NULL ORDER BY due_at, id"


@dataclass(frozen=True)
class OpenCount:
    """How many open reports one owner has, and when the oldest was made (stored text)."""

    owner: str
    reports: int
    oldest: str


class CaseRepository:
    """Read and change cases, each change guarded by the workflow table in one transaction."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, report_id: int) -> Report | None:
        """Return a report by id."""
        async with self._db.read() as session:
            return await load_report(session, report_id)

    async def act(
        self,
        report_id: int,
        action: CaseAction,
        actor: Actor,
        now: datetime,
        *,
        changes: Changes | None = None,
        detail: str | None = None,
        allowed_from: Iterable[ReportStatus] | None = None,
    ) -> Report:
        """Apply an action in its own transaction (see `CaseStore.act`); prefer a unit of work."""
        async with self._db.transaction() as session:
            updated = await CaseStore(session).act(
                report_id,
                action,
                actor,
                now,
                changes=changes,
                detail=detail,
                allowed_from=allowed_from,
            )
        return updated

    async def note(
        self,
        report_id: int,
        actor: Actor,
        action: str,
        now: datetime,
        *,
        changes: Changes | None = None,
        detail: str | None = None,
    ) -> Report:
        """Record a note in its own transaction (see `CaseStore.note`); prefer a unit of work."""
        async with self._db.transaction() as session:
            updated = await CaseStore(session).note(
                report_id, actor, action, now, changes=changes, detail=detail
            )
        return updated

    async def events(self, report_id: int) -> list[CaseEvent]:
        """Return a report's audit trail, oldest first."""
        async with self._db.read() as session:
            return await load_events(session, report_id)

    async def message(self, chat_id: int, message_id: int) -> CaseMessage | None:
        """Return what a message in a chat belongs to, if anything."""
        async with self._db.read() as session:
            return await find_case_message(session, chat_id, message_id)

    async def messages(self, report_id: int, roles: Iterable[str]) -> list[tuple[str, int, int]]:
        """Return (partner, chat, message id) of a report's sent messages with these roles."""
        async with self._db.read() as session:
            return await sent_messages(session, report_id, roles)

    async def links(self) -> dict[str, int]:
        """Return the linked chat of every partner that has one."""
        async with self._db.read() as session:
            return await linked_chats(session)

    async def held(self, report_ids: Iterable[int]) -> set[int]:
        """Return which of these reports are held for want of a partner chat."""
        async with self._db.read() as session:
            return await held_ids(session, report_ids)

    async def open_counts(self) -> list[OpenCount]:
        """Return how many reports each owner has open (see OPEN_OWNER), counted by an index."""
        async with self._db.read() as session:
            rows = await session.fetch_all(OPEN_COUNTS)
        return [OpenCount(row["owner"], int(row["reports"]), row["oldest"]) for row in rows]

    async def open_page(
        self, owner: str, after: tuple[datetime, int] | None, limit: int, *, undecided: bool
    ) -> list[Report]:
        """Return up to `limit` open reports of an owner, oldest first, after a (created, id).

        With `undecided`, the reports nobody leads or that were handed back (owner '') come
        in the same order among them: the coordinator's own list.
        """
        created, report_id = (to_text(after[0]), after[1]) if after else ("", 0)
        sql = OPEN_PAGE_UNDECIDED if undecided else OPEN_PAGE
        async with self._db.read() as session:
            rows = await session.fetch_all(sql, (owner, created, report_id, limit))
            return await _with_photos(session, rows)

    async def overdue(self, now: datetime) -> list[Report]:
        """Return unclaimed reports past their response target that are not yet escalated."""
        return await self._unclaimed(OVERDUE, now)

    async def due_for_reminder(self, now: datetime) -> list[Report]:
        """Return unclaimed reports past their response target that were never reminded."""
        return await self._unclaimed(DUE_FOR_REMINDER, now)

    async def due_for_escalation(
        self, now: datetime, escalation_at: Callable[[Report], datetime]
    ) -> list[Report]:
        """Return reminded, still unclaimed reports whose escalation moment has come.

        The moment depends on the lead partner's response target, which the configuration
        holds: `escalation_at` tells it for a report (only asked for reports past due_at).
        """
        candidates = await self._unclaimed(DUE_FOR_ESCALATION, now)
        return [report for report in candidates if escalation_at(report) <= now]

    async def _unclaimed(self, sql: str, now: datetime) -> list[Report]:
        """Return the unclaimed, unescalated reports a sweep query finds, due at `now`."""
        async with self._db.read() as session:
            rows = await session.fetch_all(sql, (to_text(now),))
            return await _with_photos(session, rows)
