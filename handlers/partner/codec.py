"""Encode and decode the callback data of caseworkers' buttons: `p:<report>:<button>:<value>`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class CaseButton(StrEnum):
    """What a caseworker's button does."""

    CLAIM = "cl"
    RESOLVE_MENU = "rs"
    RESOLVE_WITH = "rt"
    RESOLVE_OWN = "ro"
    FORWARD_MENU = "fw"
    FORWARD_TO = "ft"
    ASK = "ak"
    NOT_OURS = "no"
    BACK = "bk"
    DUPLICATE_MENU = "dm"
    """The older open reports this one may duplicate."""
    DUPLICATE_OF = "do"
    """Merge this report into the older one (value: its id)."""


@dataclass(frozen=True)
class CasePress:
    """A decoded press on a caseworker's button."""

    report_id: int
    button: CaseButton
    value: str = ""

    def encode(self) -> str:
        """Return the callback data (at most 64 bytes)."""
        data = f"p:{self.report_id}:{self.button.value}:{self.value}"
        if len(data.encode()) > 64:
            raise ValueError(f"callback data too long: {data!r}")
        return data


_PRESS = re.compile(
    r"p:(?P<report>[1-9][0-9]{0,11}):(?P<button>[a-z]{2}):(?P<value>[A-Za-z0-9-]{0,32})",
    re.ASCII,
)
"""Report ids are ASCII digits that fit in SQLite's integers; nothing else decodes."""


def decode_press(data: str | None) -> CasePress | None:
    """Return the caseworker press behind callback data, or None when it is not one."""
    match = _PRESS.fullmatch(data or "")
    if match is None:
        return None
    try:
        button = CaseButton(match["button"])
    except ValueError:
        return None
    return CasePress(int(match["report"]), button, match["value"])
