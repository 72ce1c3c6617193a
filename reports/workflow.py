"""Guard every change of a report's status with one transition table.

The happy path: new --route--> routed --claim--> in_progress --resolve--> resolved.
Besides that:

- `forward` (routed, in_progress, rejected, reopened) hands the report to another lead partner:
  it becomes routed again, unclaimed.
- `ask_resident` (in_progress) waits for the resident; `resident_answered` or
  `question_expired` brings it back to in_progress.
- `not_ours` (routed, in_progress, reopened) makes it rejected: the coordinator then forwards it
  to the right partner, or resolves or cancels it.
- `resolve` works from every open status except new; `cancel` from every open status.
- resolved and cancelled are final, except `reopen` (the resident's survey or the coordinator):
  a reopened report behaves like a routed one for its last lead partner.

Who triggers what: `route` the system, once a committed report has a lead partner; `claim`,
`resolve`, `forward`, `ask_resident` and `not_ours` a caseworker of the lead partner (the
coordinator for a rejected report); `resident_answered` the resident; `question_expired` the
scheduler; `reopen` the survey or the coordinator; `cancel` the resident or the coordinator.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType

from reports.models import Report, ReportStatus


class CaseAction(StrEnum):
    """Something that happens to a report and may change its status."""

    ROUTE = "route"
    CLAIM = "claim"
    FORWARD = "forward"
    ASK_RESIDENT = "ask_resident"
    RESIDENT_ANSWERED = "resident_answered"
    QUESTION_EXPIRED = "question_expired"
    RESOLVE = "resolve"
    NOT_OURS = "not_ours"
    REOPEN = "reopen"
    CANCEL = "cancel"


_S = ReportStatus
_A = CaseAction

TRANSITIONS: Mapping[tuple[ReportStatus, CaseAction], ReportStatus] = MappingProxyType(
    {
        (_S.NEW, _A.ROUTE): _S.ROUTED,
        (_S.NEW, _A.CANCEL): _S.CANCELLED,
        (_S.ROUTED, _A.CLAIM): _S.IN_PROGRESS,
        (_S.ROUTED, _A.FORWARD): _S.ROUTED,
        (_S.ROUTED, _A.RESOLVE): _S.RESOLVED,
        (_S.ROUTED, _A.NOT_OURS): _S.REJECTED,
        (_S.ROUTED, _A.CANCEL): _S.CANCELLED,
        (_S.IN_PROGRESS, _A.FORWARD): _S.ROUTED,
        (_S.IN_PROGRESS, _A.ASK_RESIDENT): _S.WAITING_FOR_RESIDENT,
        (_S.IN_PROGRESS, _A.RESOLVE): _S.RESOLVED,
        (_S.IN_PROGRESS, _A.NOT_OURS): _S.REJECTED,
        (_S.IN_PROGRESS, _A.CANCEL): _S.CANCELLED,
        (_S.WAITING_FOR_RESIDENT, _A.RESIDENT_ANSWERED): _S.IN_PROGRESS,
        (_S.WAITING_FOR_RESIDENT, _A.QUESTION_EXPIRED): _S.IN_PROGRESS,
        (_S.WAITING_FOR_RESIDENT, _A.RESOLVE): _S.RESOLVED,
        (_S.WAITING_FOR_RESIDENT, _A.CANCEL): _S.CANCELLED,
        (_S.REJECTED, _A.FORWARD): _S.ROUTED,
        (_S.REJECTED, _A.RESOLVE): _S.RESOLVED,
        (_S.REJECTED, _A.CANCEL): _S.CANCELLED,
        (_S.REOPENED, _A.CLAIM): _S.IN_PROGRESS,
        (_S.REOPENED, _A.FORWARD): _S.ROUTED,
        (_S.REOPENED, _A.RESOLVE): _S.RESOLVED,
        (_S.REOPENED, _A.NOT_OURS): _S.REJECTED,
        (_S.REOPENED, _A.CANCEL): _S.CANCELLED,
        (_S.RESOLVED, _A.REOPEN): _S.REOPENED,
        (_S.CANCELLED, _A.REOPEN): _S.REOPENED,
    }
)

FINAL_STATUSES = frozenset({ReportStatus.RESOLVED, ReportStatus.CANCELLED})


class InvalidTransition(ValueError):
    """An action that the report's current status does not allow."""

    def __init__(self, status: ReportStatus, action: CaseAction) -> None:
        self.status = status
        self.action = action
        allowed = ", ".join(sorted(allowed_actions(status))) or "nothing"
        super().__init__(
            f"cannot {action.value} a report that is {status.value} (allowed: {allowed})"
        )


def transition(status: ReportStatus, action: CaseAction) -> ReportStatus:
    """Return the status after the action, or raise InvalidTransition."""
    try:
        return TRANSITIONS[(status, action)]
    except KeyError:
        raise InvalidTransition(status, action) from None


def allowed_actions(status: ReportStatus) -> frozenset[CaseAction]:
    """Return every action the status allows (for example, which buttons to show)."""
    return frozenset(action for (source, action) in TRANSITIONS if source is status)


def is_open(status: ReportStatus) -> bool:
    """Return whether someone still has to act on a report in this status."""
    return status not in FINAL_STATUSES


def handover(due: datetime | None) -> dict[str, object]:
    """Return the case changes of handing a report (again) to a lead partner to pick up.

    Forwarding and reopening both do this: the report gets the lead partner's new response
    target `due`, nobody has claimed it, and it has been neither reminded nor escalated yet.
    """
    return {
        "due_at": due,
        "claimed_by": None,
        "claimed_by_name": None,
        "claimed_at": None,
        "reminded_at": None,
        "escalated_at": None,
    }


class CaseConflict(Exception):
    """The report changed meanwhile; the action no longer fits its status."""

    def __init__(self, report: Report) -> None:
        super().__init__(f"report {report.reference} is {report.status.value}")
        self.report = report
