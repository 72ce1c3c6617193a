"""Find the reports held back because no partner group could take them.

A report is held from its latest `held` note until a `released` note follows it (both in the
audit trail, `report_events`), so holding needs no column of its own. Only open reports count:
one cancelled while it waited has nobody left to be passed on to.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from reports.kinds import CaseNote
from reports.models import Report
from reports.workflow import is_open
from storage.case_store import load_report
from storage.database import Session

_MARKS = f"('{CaseNote.HELD.value}', '{CaseNote.RELEASED.value}')"
"""Written out, not bound: so the partial index `report_events_holds` serves the query."""
LATEST_HOLD = (
    "SELECT e.report_id, e.action, e.detail FROM report_events AS e INDEXED BY report_events_holds"
    f" WHERE e.action IN {_MARKS} AND e.id = (SELECT max(id) FROM report_events"
    f" WHERE report_id = e.report_id AND action IN {_MARKS})"
)
"""The latest hold or release of every report that had one (the index named: with the
statistics indexes beside it the planner may otherwise scan every audit event)."""


@dataclass(frozen=True)
class Held:
    """A report waiting for a chat, and the partner whose chat it waits for."""

    report: Report
    partner_id: str


async def held_ids(session: Session, report_ids: Iterable[int]) -> set[int]:
    """Return which of these reports are held: their latest hold was not released."""
    wanted = list(report_ids)
    if not wanted:
        return set()
    marks = ", ".join("?" for _ in wanted)
    rows = await session.fetch_all(f"{LATEST_HOLD} AND e.report_id IN ({marks})", wanted)
    return {row["report_id"] for row in rows if row["action"] == CaseNote.HELD.value}


async def held_reports(session: Session) -> list[Held]:
    """Return the open reports that are held, oldest first (by creation, then id)."""
    rows = await session.fetch_all(LATEST_HOLD)
    found: list[Held] = []
    for row in rows:
        if row["action"] != CaseNote.HELD.value:
            continue
        report = await load_report(session, row["report_id"])
        if report is not None and is_open(report.status):
            found.append(Held(report, row["detail"] or ""))
    found.sort(key=lambda held: (held.report.created_at, held.report.id))
    return found
