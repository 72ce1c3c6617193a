"""Read cases outside a use case: reports by status and deadline, audit trails, messages.

Changes go through a unit of work (`storage.case_store.CaseStore`); `act` and `note` here run
one in their own transaction, for tests and tools that change a single case.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
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

    async def open_reports(self) -> list[Report]:
        """Return every open report, oldest first."""
        async with self._db.read() as session:
            rows = await session.fetch_all(
                f"SELECT {_COLUMNS} FROM reports"
                " WHERE status NOT IN ('resolved', 'cancelled', 'new') ORDER BY created_at, id"
            )
            return await _with_photos(session, rows)

    async def overdue(self, now: datetime) -> list[Report]:
        """Return unclaimed reports past their response target that are not yet escalated."""
        async with self._db.read() as session:
            rows = await session.fetch_all(
                f"SELECT {_COLUMNS} FROM reports WHERE status IN ('routed', 'reopened')"
                " AND escalated_at IS NULL AND due_at <= ? ORDER BY due_at, id",
                (to_text(now),),
            )
            return await _with_photos(session, rows)

    async def due_for_reminder(self, now: datetime) -> list[Report]:
        """Return unclaimed reports past their response target that were never reminded."""
        async with self._db.read() as session:
            rows = await session.fetch_all(
                f"SELECT {_COLUMNS} FROM reports WHERE status IN ('routed', 'reopened')"
                " AND escalated_at IS NULL AND reminded_at IS NULL AND due_at <= ?"
                " ORDER BY due_at, id",
                (to_text(now),),
            )
            return await _with_photos(session, rows)

    async def due_for_escalation(
        self, now: datetime, escalation_at: Callable[[Report], datetime]
    ) -> list[Report]:
        """Return reminded, still unclaimed reports whose escalation moment has come.

        The moment depends on the lead partner's response target, which the configuration
        holds: `escalation_at` tells it for a report (only asked for reports past due_at).
        """
        async with self._db.read() as session:
            rows = await session.fetch_all(
                f"SELECT {_COLUMNS} FROM reports WHERE status IN ('routed', 'reopened')"
                " AND escalated_at IS NULL AND reminded_at IS NOT NULL AND due_at <= ?"
                " ORDER BY due_at, id",
                (to_text(now),),
            )
            candidates = await _with_photos(session, rows)
        return [report for report in candidates if escalation_at(report) <= now]
