"""Rules Telegram states only in prose, and its wording for common refusals."""

from __future__ import annotations

import re
from typing import Any

from .spec import Limit

_COMMAND = re.compile(r"[a-z0-9_]{1,32}")
_CHAT_ACTIONS = {
    "typing",
    "upload_photo",
    "record_video",
    "upload_video",
    "record_voice",
    "upload_voice",
    "upload_document",
    "choose_sticker",
    "find_location",
    "record_video_note",
    "upload_video_note",
}
_BUTTON_ACTIONS = {
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
}
_FOREVER = 0x7FFFFFFF


def limit_reason(owner: str, name: str, length: int, limit: Limit) -> str:
    """Return Telegram's wording for a value outside its length limit."""
    if owner in ("sendMessage", "editMessageText") and name == "text":
        return "message text is empty" if length == 0 else "message is too long"
    if name == "caption" and length > limit.high:
        return "message caption is too long"
    if owner == "InlineKeyboardButton" and name == "callback_data":
        return "BUTTON_DATA_INVALID"
    return (
        f"{owner}.{name} must be {limit.low}-{limit.high} {limit.unit} long, got {length} "
        f"{limit.unit}"
    )


def _in_range(values: dict[str, Any], name: str, low: float, high: float) -> str | None:
    """Check that a numeric value, if present, lies within [low, high]."""
    value = values.get(name)
    if isinstance(value, int | float) and not low <= value <= high:
        return f"{name} must be between {low:g} and {high:g}"
    return None


def _count(values: dict[str, Any], name: str, low: int, high: int, reason: str) -> str | None:
    """Check that an array, if present, has between low and high items."""
    items = values.get(name)
    if isinstance(items, list) and not low <= len(items) <= high:
        return reason
    return None


def _live_period(values: dict[str, Any]) -> str | None:
    """Check live_period: 60-86400 seconds, or 0x7FFFFFFF for an endless live location."""
    period = values.get("live_period")
    if isinstance(period, int) and period != _FOREVER and not 60 <= period <= 86400:
        return "live_period must be between 60 and 86400 or 0x7FFFFFFF"
    return None


def _location(values: dict[str, Any]) -> str | None:
    """Check coordinates and accuracy of a location."""
    return (
        _in_range(values, "latitude", -90, 90)
        or _in_range(values, "longitude", -180, 180)
        or _in_range(values, "horizontal_accuracy", 0, 1500)
        or _live_period(values)
    )


def _inline_button(values: dict[str, Any]) -> str | None:
    """Check an inline keyboard button: a label and exactly one action."""
    if not values.get("text"):
        return "can't parse inline keyboard button: Text must be non-empty"
    actions = _BUTTON_ACTIONS & set(values)
    if not actions:
        return (
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if len(actions) > 1:
        return f"can't parse inline keyboard button: more than one action {sorted(actions)}"
    url = values.get("url")
    if isinstance(url, str) and not url.startswith(("http://", "https://", "tg://")):
        return "BUTTON_URL_INVALID"
    return None


def _command(values: dict[str, Any]) -> str | None:
    """Check a bot command: 1-32 lower-case letters, digits and underscores."""
    command = values.get("command")
    if isinstance(command, str) and not _COMMAND.fullmatch(command):
        return "BOT_COMMAND_INVALID"
    return None


def prose_rule_violation(owner: str, values: dict[str, Any]) -> str | None:
    """Return the reason a method's parameters or a type's fields break a prose-only rule."""
    if owner in (
        "sendLocation",
        "sendVenue",
        "editMessageLiveLocation",
        "InputLocationMessageContent",
    ):
        return _location(values)
    if owner == "getUpdates":
        return _in_range(values, "limit", 1, 100)
    if owner == "sendMediaGroup":
        return _count(values, "media", 2, 10, "wrong number of media in the group (2-10)")
    if owner == "setMyCommands":
        return _count(values, "commands", 0, 100, "too many commands (at most 100)")
    if owner == "sendChatAction":
        action = values.get("action")
        return None if action in _CHAT_ACTIONS else "wrong parameter action in request"
    if owner == "InlineKeyboardButton":
        return _inline_button(values)
    if owner == "KeyboardButton" and not values.get("text"):
        return "keyboard button text must be non-empty"
    if owner == "BotCommand":
        return _command(values)
    return None
