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
    pager = Pager(more, sum(line.item for line in lines), limit=limit, max_pages=max_pages)
    for line in lines:
        if not pager.add(line):
            break
    return pager.pages()


class Pager:
    """Pack lines one by one, as `paginate` does, for lines made only while they still fit.

    It is told up front how many item lines there are in all, so that the last message can
    end with more(N) for those that did not fit, without making them.
    """

    def __init__(
        self,
        more: Callable[[int], str],
        items: int,
        *,
        limit: int = MESSAGE_LIMIT,
        max_pages: int = MAX_PAGES,
    ) -> None:
        if max_pages < 1:
            raise ValueError("max_pages must be at least 1")
        self._more = more
        self._left = items  # item lines not placed yet
        self._limit = limit
        self._max_pages = max_pages
        self._pages: list[str] = []
        self._current = ""
        self._full = False

    def add(self, line: Line) -> bool:
        """Place a line; return False once the answer is full (this line did not fit)."""
        if self._full:
            return False
        if visible_length(line.html) > self._limit:
            raise ValueError(f"a line of {visible_length(line.html)} characters cannot be sent")
        left = self._left - int(line.item)
        while True:
            last_page = len(self._pages) == self._max_pages - 1
            joined = f"{self._current}\n{line.html}" if self._current else line.html
            needed = f"{joined}\n{self._more(left)}" if last_page and left else joined
            if visible_length(needed) <= self._limit:
                self._current = joined
                self._left = left
                return True
            if self._current and not last_page:
                self._pages.append(self._current.strip())
                self._current = ""
                continue
            self._pages.append(f"{self._current}\n{self._more(self._left)}".strip())
            self._current = ""
            self._full = True
            return False

    def pages(self) -> list[str]:
        """Return the messages: those filled, and the one being filled."""
        if self._current.strip():
            return [*self._pages, self._current.strip()]
        return list(self._pages)
