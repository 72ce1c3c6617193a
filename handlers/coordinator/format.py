"""Say ages in words and pack long coordinator answers into Telegram-sized messages.

Long answers are split over several messages at line boundaries, each within Telegram's 4096
characters, and cut after `MAX_PAGES` messages with a line that says how much was left out.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from handlers.texts import T, plain
from reports.models import Language

MESSAGE_LIMIT = 4096
"""Telegram's limit on a message's text, in UTF-16 code units after parsing the HTML."""
MAX_PAGES = 6
"""At most this many messages per answer: the group's 20 messages a minute are shared."""

_TAG = re.compile(r"<[^>]*>")


def age_text(age: timedelta, language: Language) -> str:
    """Say how old something is, to the minute: "3 d 4 u", "2 u 5 min", "7 min"."""
    minutes = max(int(age.total_seconds() // 60), 0)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return plain(T.P_AGE_DAYS, language, days=days, hours=hours)
    if hours:
        return plain(T.P_AGE_HOURS, language, hours=hours, minutes=minutes)
    return plain(T.P_AGE_MINUTES, language, minutes=minutes)


@dataclass(frozen=True)
class Line:
    """One line of an answer; `item` lines are what "… and N more" counts."""

    html: str
    item: bool = False


def visible_length(text: str) -> int:
    """Return how long Telegram counts an HTML text: UTF-16 code units of what it shows."""
    shown = html.unescape(_TAG.sub("", text))
    return len(shown.encode("utf-16-le")) // 2


def paginate(
    lines: Sequence[Line],
    more: Callable[[int], str],
    *,
    limit: int = MESSAGE_LIMIT,
    max_pages: int = MAX_PAGES,
) -> list[str]:
    """Pack lines into at most max_pages messages of at most limit; cut with more(N) if needed.

    Lines are never split. When they do not all fit, the last message ends with more(N), N
    being the item lines left out.
    """
    if max_pages < 1:
        raise ValueError("max_pages must be at least 1")
    items_from = [0] * (len(lines) + 1)  # item lines from index on
    for index in range(len(lines) - 1, -1, -1):
        items_from[index] = items_from[index + 1] + int(lines[index].item)
    pages: list[str] = []
    current = ""
    for index, line in enumerate(lines):
        if visible_length(line.html) > limit:
            raise ValueError(f"a line of {visible_length(line.html)} characters cannot be sent")
        while True:
            last_page = len(pages) == max_pages - 1
            joined = f"{current}\n{line.html}" if current else line.html
            left = items_from[index + 1]
            needed = f"{joined}\n{more(left)}" if last_page and left else joined
            if visible_length(needed) <= limit:
                current = joined
                break
            if current and not last_page:
                pages.append(current.strip())
                current = ""
                continue
            tail = more(items_from[index])
            pages.append(f"{current}\n{tail}".strip())
            return pages
    if current.strip():
        pages.append(current.strip())
    return pages
