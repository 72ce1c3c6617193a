"""Every status change follows one row of the transition table; everything else is refused."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest

from handlers.resident.summary import STATUS_TEXTS
from reports.models import ReportStatus as S
from reports.workflow import (
    TRANSITIONS,
    InvalidTransition,
    allowed_actions,
    handover,
    is_open,
    transition,
)
from reports.workflow import CaseAction as A

EXPECTED_ROWS = [
    (S.NEW, A.ROUTE, S.ROUTED),
    (S.NEW, A.CANCEL, S.CANCELLED),
    (S.ROUTED, A.CLAIM, S.IN_PROGRESS),
    (S.ROUTED, A.FORWARD, S.ROUTED),
    (S.ROUTED, A.RESOLVE, S.RESOLVED),
    (S.ROUTED, A.NOT_OURS, S.REJECTED),
    (S.ROUTED, A.CANCEL, S.CANCELLED),
    (S.IN_PROGRESS, A.FORWARD, S.ROUTED),
    (S.IN_PROGRESS, A.ASK_RESIDENT, S.WAITING_FOR_RESIDENT),
    (S.IN_PROGRESS, A.RESOLVE, S.RESOLVED),
    (S.IN_PROGRESS, A.NOT_OURS, S.REJECTED),
    (S.IN_PROGRESS, A.CANCEL, S.CANCELLED),
    (S.WAITING_FOR_RESIDENT, A.RESIDENT_ANSWERED, S.IN_PROGRESS),
    (S.WAITING_FOR_RESIDENT, A.QUESTION_EXPIRED, S.IN_PROGRESS),
    (S.WAITING_FOR_RESIDENT, A.RESOLVE, S.RESOLVED),
    (S.WAITING_FOR_RESIDENT, A.CANCEL, S.CANCELLED),
    (S.REJECTED, A.FORWARD, S.ROUTED),
    (S.REJECTED, A.RESOLVE, S.RESOLVED),
    (S.REJECTED, A.CANCEL, S.CANCELLED),
    (S.REOPENED, A.CLAIM, S.IN_PROGRESS),
    (S.REOPENED, A.FORWARD, S.ROUTED),
    (S.REOPENED, A.RESOLVE, S.RESOLVED),
    (S.REOPENED, A.NOT_OURS, S.REJECTED),
    (S.REOPENED, A.CANCEL, S.CANCELLED),
    (S.RESOLVED, A.REOPEN, S.REOPENED),
    (S.CANCELLED, A.REOPEN, S.REOPENED),
]
ALLOWED = {(status, action) for status, action, _ in EXPECTED_ROWS}
REFUSED = [pair for pair in itertools.product(S, A) if pair not in ALLOWED]


def _row_id(row: tuple[S, A, S]) -> str:
    return f"{row[0]}-{row[1]}-{row[2]}"


@pytest.mark.parametrize("row", EXPECTED_ROWS, ids=_row_id)
def test_each_row_of_the_table_moves_the_report_to_its_next_status(row: tuple[S, A, S]) -> None:
    status, action, expected = row
    assert transition(status, action) is expected


def test_the_table_holds_exactly_the_expected_rows() -> None:
    assert {(s, a, n) for (s, a), n in TRANSITIONS.items()} == set(EXPECTED_ROWS)


@pytest.mark.parametrize(("status", "action"), REFUSED, ids=lambda v: str(v))
def test_every_other_action_is_refused_and_says_why(status: S, action: A) -> None:
    with pytest.raises(InvalidTransition) as caught:
        transition(status, action)
    assert caught.value.status is status and caught.value.action is action
    assert f"cannot {action.value} a report that is {status.value}" in str(caught.value)


def test_allowed_actions_are_the_table_rows_of_a_status() -> None:
    for status in S:
        expected = {action for (source, action) in ALLOWED if source is status}
        assert allowed_actions(status) == expected


def test_a_routed_report_offers_the_caseworker_buttons_but_no_question_before_a_claim() -> None:
    assert allowed_actions(S.ROUTED) == {A.CLAIM, A.FORWARD, A.RESOLVE, A.NOT_OURS, A.CANCEL}


def test_forwarding_a_claimed_report_leaves_it_unclaimed_for_the_new_partner() -> None:
    assert transition(S.IN_PROGRESS, A.FORWARD) is S.ROUTED


def test_a_reopened_report_offers_what_a_routed_report_offers() -> None:
    assert allowed_actions(S.REOPENED) == allowed_actions(S.ROUTED)


def test_a_rejected_report_is_the_coordinators_to_forward_resolve_or_cancel() -> None:
    assert allowed_actions(S.REJECTED) == {A.FORWARD, A.RESOLVE, A.CANCEL}


def test_resolved_and_cancelled_reports_can_only_be_reopened() -> None:
    assert allowed_actions(S.RESOLVED) == {A.REOPEN}
    assert allowed_actions(S.CANCELLED) == {A.REOPEN}


@pytest.mark.parametrize("status", list(S))
def test_only_resolved_and_cancelled_reports_are_closed(status: S) -> None:
    assert is_open(status) is (status not in {S.RESOLVED, S.CANCELLED})


def test_every_status_can_be_reached_from_new() -> None:
    reached = {S.NEW}
    frontier = [S.NEW]
    while frontier:
        status = frontier.pop()
        for action in allowed_actions(status):
            following = transition(status, action)
            if following not in reached:
                reached.add(following)
                frontier.append(following)
    assert reached == set(S)


def test_the_stored_status_values_are_stable() -> None:
    assert [s.value for s in S] == [
        "new",
        "routed",
        "in_progress",
        "waiting_for_resident",
        "resolved",
        "rejected",
        "reopened",
        "cancelled",
    ]


def test_every_status_has_a_text_for_the_residents_report_list() -> None:
    assert set(STATUS_TEXTS) == set(S)


def test_a_handover_sets_the_new_deadline_and_clears_the_claim_and_the_reminder_marks() -> None:
    due = datetime(2026, 12, 1, 16, 0, tzinfo=UTC)
    assert handover(due) == {
        "due_at": due,
        "claimed_by": None,
        "claimed_by_name": None,
        "claimed_at": None,
        "reminded_at": None,
        "escalated_at": None,
    }
