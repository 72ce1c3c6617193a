"""Encode and decode the callback data of the buttons under proactive messages.

Every press carries at most 64 bytes, checked on the way in:

- `f:<report>:<n>:<on|ok|add>`: an answer to a report's n-th follow-up;
- `s:<report>:<y|n|r<i>|u<o|s|n>|skip>`: one survey answer;
- `tw:<wijk code>`: the wijk whose digest to subscribe to;
- `o:stop`: the stop button under every proactive message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reports.followup import FollowupAnswer
from reports.survey import FeelsUnsafe, SurveyState
from services.surveys import SurveyAnswer

STOP_DATA = "o:stop"
"""Callback data of the stop button under every proactive message."""

_FOLLOWUP_CODES = {
    FollowupAnswer.ONGOING: "on",
    FollowupAnswer.SOLVED: "ok",
    FollowupAnswer.MORE: "add",
}
_FOLLOWUP_ANSWERS = {code: answer for answer, code in _FOLLOWUP_CODES.items()}
_FOLLOWUP = re.compile(
    r"f:(?P<report>[1-9][0-9]{0,11}):(?P<number>[1-9][0-9]?):(?P<code>on|ok|add)", re.ASCII
)

_UNSAFE_CODES = {FeelsUnsafe.OFTEN: "o", FeelsUnsafe.SOMETIMES: "s", FeelsUnsafe.NEVER: "n"}
_UNSAFE_BY_CODE = {code: value for value, code in _UNSAFE_CODES.items()}
_SURVEY = re.compile(
    r"s:(?P<report>[1-9][0-9]{0,11}):(?P<step>[yn]|r[0-9]{1,2}|u[osn]|skip)", re.ASCII
)

_WIJK = re.compile(r"tw:(?P<code>WK[0-9]{6})", re.ASCII)


@dataclass(frozen=True)
class FollowupPress:
    """A press on one of the answers to a report's n-th follow-up."""

    report_id: int
    number: int
    answer: FollowupAnswer

    def encode(self) -> str:
        """Return the callback data (at most 24 bytes)."""
        return f"f:{self.report_id}:{self.number}:{_FOLLOWUP_CODES[self.answer]}"


def decode_followup(data: str | None) -> FollowupPress | None:
    """Return the follow-up press behind callback data, or None when it is not one."""
    match = _FOLLOWUP.fullmatch(data or "")
    if match is None:
        return None
    answer = _FOLLOWUP_ANSWERS[match["code"]]
    return FollowupPress(int(match["report"]), int(match["number"]), answer)


@dataclass(frozen=True)
class SurveyPress:
    """A press on one survey button: exactly one of the answers is set."""

    report_id: int
    satisfied: bool | None = None
    reason: int | None = None
    unsafe: FeelsUnsafe | None = None
    skip: bool = False

    @property
    def answer(self) -> SurveyAnswer:
        """Return the answer this press gives."""
        return SurveyAnswer(self.satisfied, self.reason, self.unsafe, self.skip)

    @property
    def state(self) -> SurveyState:
        """Return the state in which this press counts."""
        return self.answer.state

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
    match = _SURVEY.fullmatch(data or "")
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


def wijk_data(code: str) -> str:
    """Return the callback data of the button that subscribes to a wijk's digest."""
    return f"tw:{code}"


def decode_wijk(data: str | None) -> str | None:
    """Return the wijk code behind callback data, or None when it is not a wijk button."""
    match = _WIJK.fullmatch(data or "")
    return None if match is None else match["code"]
