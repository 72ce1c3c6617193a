"""Walk a resident through the feedback survey after a resolved report, one tap per step.

The steps: satisfied or not; one reason (the positive reasons after yes, the negative ones
after no); how often they feel unsafe in their own neighbourhood; an optional free text.
Each step is a state of the survey row; a press counts only in the state that asks for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
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


_UNSAFE_CODES = {FeelsUnsafe.OFTEN: "o", FeelsUnsafe.SOMETIMES: "s", FeelsUnsafe.NEVER: "n"}
_UNSAFE_BY_CODE = {code: value for value, code in _UNSAFE_CODES.items()}
_DATA = re.compile(r"s:(?P<report>[1-9]\d{0,11}):(?P<step>[yn]|r\d{1,2}|u[osn]|skip)")


@dataclass(frozen=True)
class SurveyPress:
    """A press on one survey button: exactly one of the answers is set."""

    report_id: int
    satisfied: bool | None = None
    reason: int | None = None
    unsafe: FeelsUnsafe | None = None
    skip: bool = False

    @property
    def state(self) -> SurveyState:
        """Return the state in which this press counts."""
        if self.satisfied is not None:
            return SurveyState.PENDING
        if self.reason is not None:
            return SurveyState.REASONS
        if self.unsafe is not None:
            return SurveyState.UNSAFE
        return SurveyState.COMMENT

    def encode(self) -> str:
        """Return the callback data (at most 20 bytes)."""
        if self.satisfied is not None:
            step = "y" if self.satisfied else "n"
        elif self.reason is not None:
            step = f"r{self.reason}"
        elif self.unsafe is not None:
            step = f"u{_UNSAFE_CODES[self.unsafe]}"
        else:
            step = "skip"
        return f"s:{self.report_id}:{step}"


def decode_survey(data: str | None) -> SurveyPress | None:
    """Return the survey press behind callback data, or None when it is not one."""
    match = _DATA.fullmatch(data or "")
    if match is None:
        return None
    report_id, step = int(match["report"]), match["step"]
    if step in ("y", "n"):
        return SurveyPress(report_id, satisfied=step == "y")
    if step.startswith("r"):
        return SurveyPress(report_id, reason=int(step[1:]))
    if step.startswith("u"):
        return SurveyPress(report_id, unsafe=_UNSAFE_BY_CODE[step[1:]])
    return SurveyPress(report_id, skip=True)


def survey_key(report_id: int) -> str:
    """Return the outbox dedupe key of a report's survey (one per report)."""
    return f"survey:{report_id}"


def tip_key(report_id: int) -> str:
    """Return the outbox dedupe key of the tip after a report (one per report)."""
    return f"tip:{report_id}"


def pick_tip(tips: list[str], seed: int) -> str | None:
    """Return one tip of a category, the same one for the same seed; None when there is none."""
    return tips[seed % len(tips)] if tips else None
