"""Encode and decode the data behind inline buttons, and refuse anything that was not ours."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

MAX_CALLBACK_BYTES = 64


class Action(StrEnum):
    """What a button does; a draft action also names the draft it belongs to."""

    CATEGORY = "c"
    WIJK_LIST = "wl"
    WIJK = "w"
    BUURT = "b"
    PHOTOS_DONE = "p"
    TIMING = "t"
    CONTACT = "k"
    CONFIRM = "ok"
    CHANGE_MENU = "ch"
    CHANGE_FIELD = "e"
    CANCEL = "x"
    SAME = "sm"
    """"This is it": follow the open report nearby (value: its id) instead of a new one."""
    NOT_SAME = "ns"
    NEW_REPORT = "new"
    MY_REPORTS = "my"
    LANGUAGE = "lang"
    FORGET = "forget"


DRAFT_ACTIONS = frozenset(
    {
        Action.CATEGORY,
        Action.WIJK_LIST,
        Action.WIJK,
        Action.BUURT,
        Action.PHOTOS_DONE,
        Action.TIMING,
        Action.CONTACT,
        Action.CONFIRM,
        Action.CHANGE_MENU,
        Action.CHANGE_FIELD,
        Action.CANCEL,
        Action.SAME,
        Action.NOT_SAME,
    }
)

_VALUE = re.compile(r"[A-Za-z0-9_-]{0,40}", re.ASCII)
_TOKEN = re.compile(r"[A-Za-z0-9]{1,8}", re.ASCII)


@dataclass(frozen=True)
class Button:
    """The decoded meaning of a button press."""

    action: Action
    value: str = ""
    token: str = ""

    def encode(self) -> str:
        """Return the callback data, at most 64 bytes."""
        if not _VALUE.fullmatch(self.value):
            raise ValueError(f"button value {self.value!r} is not allowed")
        if self.action in DRAFT_ACTIONS:
            if not _TOKEN.fullmatch(self.token):
                raise ValueError("draft buttons need the draft token")
            data = f"d:{self.token}:{self.action.value}:{self.value}"
        else:
            data = f"g:{self.action.value}:{self.value}"
        if len(data.encode()) > MAX_CALLBACK_BYTES:
            raise ValueError(f"callback data too long: {data!r}")
        return data


def decode(data: str | None) -> Button | None:
    """Return the button behind callback data, or None when it is not one of ours."""
    if not data or len(data.encode()) > MAX_CALLBACK_BYTES:
        return None
    parts = data.split(":")
    try:
        if parts[0] == "d" and len(parts) == 4:
            action, token, value = Action(parts[2]), parts[1], parts[3]
            if action not in DRAFT_ACTIONS or not _TOKEN.fullmatch(token):
                return None
        elif parts[0] == "g" and len(parts) == 3:
            action, token, value = Action(parts[1]), "", parts[2]
            if action in DRAFT_ACTIONS:
                return None
        else:
            return None
    except ValueError:
        return None
    if not _VALUE.fullmatch(value):
        return None
    return Button(action=action, value=value, token=token)
