"""Walk a resident through the feedback survey after a resolved report, one tap per step.

The steps: satisfied or not; one reason (the positive reasons after yes, the negative ones
after no); how often they feel unsafe in their own neighbourhood; an optional free text.
Each step is a state of the survey row; a press counts only in the state that asks for it.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

MAX_COMMENT_CHARS = 1000
"""The longest free text a survey keeps."""


class SurveyState(StrEnum):
    """Where a survey stands (the values are stored in SQLite)."""

    PENDING = "pending"
    REASONS = "reasons"
    UNSAFE = "unsafe"
    COMMENT = "comment"
    DONE = "done"
    EXPIRED = "expired"


class FeelsUnsafe(StrEnum):
    """How often a resident feels unsafe in their own neighbourhood."""

    OFTEN = "often"
    SOMETIMES = "sometimes"
    NEVER = "never"


def survey_key(report_id: int, seat: int = 0) -> str:
    """Return the outbox dedupe key of a report's survey to the resident in a seat (one each;
    0: who made the report; n: its n-th co-reporter)."""
    return f"survey:{report_id}" if seat == 0 else f"survey:{report_id}:{seat}"


def tip_key(report_id: int) -> str:
    """Return the outbox dedupe key of the tip after a report (one per report)."""
    return f"tip:{report_id}"


def digest_key(user_id: int, until: datetime) -> str:
    """Return the outbox dedupe key of a resident's digest of the period ending `until` (local)."""
    return f"digest:{user_id}:{until:%Y%m%dT%H%M%S}"


def pick_tip(tips: list[str], seed: int) -> str | None:
    """Return one tip of a category, the same one for the same seed; None when there is none."""
    return tips[seed % len(tips)] if tips else None
