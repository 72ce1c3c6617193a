"""Encode and decode the callback data of caseworkers' buttons: `p:<report>:<button>:<value>`."""

from __future__ import annotations

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


def decode_press(data: str | None) -> CasePress | None:
    """Return the caseworker press behind callback data, or None when it is not one."""
    if not data or len(data.encode()) > 64:
        return None
    parts = data.split(":")
    if len(parts) != 4 or parts[0] != "p" or not parts[1].isdigit():
        return None
    try:
        button = CaseButton(parts[2])
    except ValueError:
        return None
    value = parts[3]
    if len(value) > 32 or not all(c.isalnum() or c == "-" for c in value):
        return None
    return CasePress(int(parts[1]), button, value)
