"""Change cases inside a unit of work: status changes by the workflow table, events, messages.

Longer than 300 lines because every change of a case (status, audit line, messages, links)
runs on the caller's session and shares these helpers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from reports.kinds import CaseRole
from reports.models import Report, ReportStatus
from reports.records import Actor, CaseEvent, CaseMessage
from reports.workflow import FINAL_STATUSES, CaseAction, CaseConflict, transition
from storage.database import Session
from storage.outbox import cancel_rows
from storage.reports import _COLUMNS, _with_photos
from storage.timestamps import to_text

Changes = Mapping[str, Any]

_MESSAGE_COLUMNS = "c.id, c.report_id, c.partner_id, c.role, c.chat_id, c.action, c.user_id"
CASE_MESSAGE = (
    "SELECT report_id, partner_id, role, chat_id, action, user_id FROM ("
    f"SELECT 1 AS exact, {_MESSAGE_COLUMNS} FROM case_messages AS c"
    " WHERE c.chat_id = ?1 AND c.message_id = ?2 AND c.role <> 'view'"
    f" UNION ALL SELECT 1, {_MESSAGE_COLUMNS}"
    " FROM outbox AS o JOIN case_messages AS c ON c.outbox_id = o.id"
    " WHERE o.chat_id = ?1 AND o.message_id = ?2 AND c.chat_id = ?1 AND c.role <> 'view'"
    f" UNION ALL SELECT 0, {_MESSAGE_COLUMNS}"
    " FROM outbox AS o JOIN case_messages AS c ON c.outbox_id = o.id"
    " WHERE o.chat_id = ?1 AND o.report_id = ?3 AND o.uncertain = 1"
    " AND (o.message_id IS NULL OR o.message_id > ?2)"
    " AND c.chat_id = ?1 AND c.report_id = ?3 AND c.role <> 'view'"
    ") ORDER BY exact DESC, id DESC LIMIT 1"
)
"""The case message behind a press or a reply: three indexed lookups, the exact ones first.

Its message id is the case message's own (a prompt), or that of the outbox row that sent it;
else, given the report, it may be an unrecorded copy of an uncertain row (`find_case_message`).
"""

_CHANGEABLE = frozenset(
    {
        "lead_partner",
        "routing_rule",
        "claimed_by",
        "claimed_by_name",
        "claimed_at",
        "due_at",
        "reminded_at",
        "escalated_at",
        "resolved_at",
        "closing_text",
    }
)


class CaseStore:
    """Read and change cases inside a caller's transaction (a unit of work)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    async def get(self, report_id: int) -> Report | None:
        """Return a report by id."""
        return await load_report(self._session, report_id)

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
        """Apply an action if the workflow allows it now; raise CaseConflict when it does not.

        Two caseworkers pressing at once are serialised by the single writer: the second sees
        the new status and gets CaseConflict with the report as the first left it. A report that
        becomes resolved or cancelled loses its pending follow-ups in the same transaction.
        """
        session = self._session
        report = await load_report(session, report_id)
        if report is None:
            raise LookupError(f"no report {report_id}")
        try:
            new_status = transition(report.status, action)
        except ValueError:
            raise CaseConflict(report) from None
        if allowed_from is not None and report.status not in set(allowed_from):
            raise CaseConflict(report)
        await update_report(session, report_id, new_status, changes or {})
        await add_event(session, report_id, now, actor, action.value, report, new_status, detail)
        if new_status in FINAL_STATUSES:
            await cancel_rows(session, now, report_id=report_id, kind="followup.*")
        updated = await load_report(session, report_id)
        assert updated is not None
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
        """Record something that does not change the status (a reminder, a relayed message)."""
        session = self._session
        report = await load_report(session, report_id)
        if report is None:
            raise LookupError(f"no report {report_id}")
        if changes:
            await update_report(session, report_id, report.status, changes)
        await add_event(session, report_id, now, actor, action, report, None, detail)
        updated = await load_report(session, report_id)
        assert updated is not None
        return updated

    async def add_message(
        self,
        report_id: int,
        partner_id: str,
        role: CaseRole,
        chat_id: int,
        now: datetime,
        *,
        outbox_id: int | None = None,
        message_id: int | None = None,
        action: str | None = None,
        user_id: int | None = None,
    ) -> None:
        """Remember that a message (queued or sent) belongs to a report."""
        await add_case_message(
            self._session,
            report_id,
            partner_id,
            role,
            chat_id,
            now,
            outbox_id=outbox_id,
            message_id=message_id,
            action=action,
            user_id=user_id,
        )

    async def links(self) -> dict[str, int]:
        """Return the linked chat of every partner that has one."""
        return await linked_chats(self._session)

    async def link(self, partner_id: str, chat_id: int, user_id: int, now: datetime) -> None:
        """Link a partner to a chat, replacing an earlier link of either."""
        self._session.memo.pop("linked_chats", None)
        await self._session.execute(
            "DELETE FROM partner_links WHERE partner_id = ? OR chat_id = ?", (partner_id, chat_id)
        )
        await self._session.execute(
            "INSERT INTO partner_links (partner_id, chat_id, linked_by, linked_at)"
            " VALUES (?, ?, ?, ?)",
            (partner_id, chat_id, user_id, to_text(now)),
        )

    async def unlink(self, partner_id: str) -> bool:
        """Remove a partner's link; return whether there was one."""
        self._session.memo.pop("linked_chats", None)
        changed = await self._session.execute(
            "DELETE FROM partner_links WHERE partner_id = ?", (partner_id,)
        )
        return changed > 0

    async def events(self, report_id: int) -> list[CaseEvent]:
        """Return a report's audit trail, oldest first."""
        return await load_events(self._session, report_id)

    async def messages(self, report_id: int, roles: Iterable[str]) -> list[tuple[str, int, int]]:
        """Return (partner, chat, message id) of a report's sent messages with these roles."""
        return await sent_messages(self._session, report_id, roles)

    async def message(self, chat: int, message: int, report: int = 0) -> CaseMessage | None:
        """Return what a message belongs to; given its `report`, also an unrecorded copy."""
        return await find_case_message(self._session, chat, message, report)

    async def awaiting_answer(self, user_id: int) -> Report | None:
        """Return the resident's newest report that waits for their answer to a question."""
        rows = await self._session.fetch_all(
            f"SELECT {_COLUMNS} FROM reports WHERE user_id = ? AND status = ?"
            " ORDER BY created_at DESC, id DESC LIMIT 1",
            (user_id, ReportStatus.WAITING_FOR_RESIDENT.value),
        )
        found = await _with_photos(self._session, rows)
        return found[0] if found else None


async def load_report(session: Session, report_id: int) -> Report | None:
    """Return a report by id within a transaction."""
    rows = await session.fetch_all(f"SELECT {_COLUMNS} FROM reports WHERE id = ?", (report_id,))
    found = await _with_photos(session, rows)
    return found[0] if found else None


async def update_report(
    session: Session, report_id: int, status: ReportStatus, changes: Changes
) -> None:
    """Set a report's status and case fields."""
    unknown = set(changes) - _CHANGEABLE
    if unknown:
        raise ValueError(f"cannot change {sorted(unknown)}")
    columns = ["status = ?"] + [f"{name} = ?" for name in changes]
    values = [status.value] + [
        to_text(v) if isinstance(v, datetime) else v for v in changes.values()
    ]
    session.add(f"UPDATE reports SET {', '.join(columns)} WHERE id = ?", (*values, report_id))


async def add_event(
    session: Session,
    report_id: int,
    now: datetime,
    actor: Actor,
    action: str,
    before: Report,
    after: ReportStatus | None,
    detail: str | None,
) -> None:
    """Append a line to the audit trail."""
    session.add(
        "INSERT INTO report_events (report_id, at, actor, actor_id, partner_id, action,"
        " from_status, to_status, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            report_id,
            to_text(now),
            actor.kind,
            actor.user_id,
            actor.partner_id,
            action,
            before.status.value,
            None if after is None else after.value,
            detail,
        ),
    )


async def add_case_message(
    session: Session,
    report_id: int,
    partner_id: str,
    role: str,
    chat_id: int,
    now: datetime,
    *,
    outbox_id: int | None = None,
    message_id: int | None = None,
    action: str | None = None,
    user_id: int | None = None,
) -> None:
    """Remember that a message (queued or sent) belongs to a report."""
    session.add(
        "INSERT INTO case_messages (report_id, partner_id, role, chat_id, outbox_id, message_id,"
        " action, user_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            report_id,
            partner_id,
            role,
            chat_id,
            outbox_id,
            message_id,
            action,
            user_id,
            to_text(now),
        ),
    )


async def linked_chats(session: Session) -> dict[str, int]:
    """Return the linked chat of every partner that has one, within a transaction."""
    if "linked_chats" not in session.memo:
        rows = await session.fetch_all("SELECT partner_id, chat_id FROM partner_links")
        session.memo["linked_chats"] = {row["partner_id"]: row["chat_id"] for row in rows}
    return dict(session.memo["linked_chats"])


async def load_events(session: Session, report_id: int) -> list[CaseEvent]:
    """Return a report's audit trail, oldest first, within a transaction."""
    rows = await session.fetch_all(
        "SELECT at, actor, actor_id, partner_id, action, from_status, to_status, detail"
        " FROM report_events WHERE report_id = ? ORDER BY at, id",
        (report_id,),
    )
    return [CaseEvent(**dict(row)) for row in rows]


async def find_case_message(
    session: Session, chat_id: int, message_id: int, report_id: int = 0
) -> CaseMessage | None:
    """Return what a message in a chat belongs to, if anything, within a transaction.

    Given the report a press names, a message nothing else claims counts as an unrecorded copy
    of the report's message in that chat whose outbox row is uncertain (its answer was lost, so
    its message id is unknown) and was sent after it or not yet: both copies act alike.
    """
    row = await session.fetch_one(CASE_MESSAGE, (chat_id, message_id, report_id))
    if row is None:
        return None
    return CaseMessage(**(dict(row) | {"role": CaseRole(row["role"])}))


async def sent_messages(
    session: Session, report_id: int, roles: Iterable[str]
) -> list[tuple[str, int, int]]:
    """Return (partner, chat, message id) of a report's sent messages with these roles."""
    wanted = list(roles)
    marks = ", ".join("?" for _ in wanted)
    rows = await session.fetch_all(
        "SELECT c.partner_id, c.chat_id, COALESCE(c.message_id, o.message_id) AS mid"
        " FROM case_messages AS c LEFT JOIN outbox AS o ON o.id = c.outbox_id"
        f" WHERE c.report_id = ? AND c.role IN ({marks})"
        " AND COALESCE(c.message_id, o.message_id) IS NOT NULL ORDER BY c.id",
        (report_id, *wanted),
    )
    return [(row["partner_id"], row["chat_id"], row["mid"]) for row in rows]
