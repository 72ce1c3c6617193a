"""Failure injection, slow answers and Telegram's flood control.

Besides HTTP error answers, a failure can be `DROP` (the connection is closed without an
answer) or `HANG` (no answer until the client gives up, then the connection is closed). With
`after_effect` the call is performed first, so Telegram stored the message and only the answer
is lost: the case in which a client cannot know whether its message arrived.
"""

from __future__ import annotations

import math
import random
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from .errors import ApiError, bad_request, forbidden, too_many_requests

BOOTSTRAP = frozenset({"getme", "getupdates", "deletewebhook", "close", "logout"})
_PHRASES = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}

DROP = -1
"""A failure "status": close the connection without answering."""
HANG = -2
"""A failure "status": answer nothing for `Faults.hang_seconds`, then close the connection."""
LOST = frozenset({DROP, HANG})


@dataclass
class PlannedFailure:
    """A failure to answer for the next count calls of a method."""

    method: str
    status: int
    retry_after: int | None
    count: int
    description: str | None
    after_effect: bool
    chat_id: int | None = None

    @property
    def lost(self) -> bool:
        """Return whether no answer comes at all (a dropped connection or a hang)."""
        return self.status in LOST

    def error(self) -> ApiError:
        """Return the error Telegram would answer with."""
        if self.status == 429:
            return too_many_requests(self.retry_after or 1)
        if self.status == 400:
            return bad_request(self.description or "injected failure")
        if self.status == 403:
            return forbidden(self.description or "bot was blocked by the user")
        description = self.description or _PHRASES.get(self.status, "Injected failure")
        return ApiError(self.status, description)


@dataclass
class RateLimits:
    """Telegram's flood limits: (messages, seconds) per private chat, per group and overall."""

    private: tuple[int, float] = (1, 1.0)
    group: tuple[int, float] = (20, 60.0)
    overall: tuple[int, float] = (30, 1.0)


@dataclass
class Faults:
    """Everything that makes the fake misbehave on purpose."""

    planned: list[PlannedFailure] = field(default_factory=list)
    rate: float = 0.0
    rng: random.Random = field(default_factory=lambda: random.Random(0))
    rate_methods: frozenset[str] | None = None
    statuses: tuple[int, ...] = (429, 500)
    after_effect: float = 0.0
    """Share of random 5xx, DROP and HANG failures that come after the call was performed."""
    hang_seconds: float = 30.0
    delays: dict[str, float] = field(default_factory=dict)
    injected: list[tuple[str, int]] = field(default_factory=list)
    after_effects: list[tuple[str, int]] = field(default_factory=list)
    """The injected failures that came after the call was performed (the message exists)."""

    def pick(self, method: str, chat_id: object = None) -> PlannedFailure | None:
        """Return the failure to inject into this call of method, if any, and use it up."""
        for failure in self.planned:
            chat_matches = failure.chat_id is None or str(failure.chat_id) == str(chat_id)
            if failure.method in (method, "*") and chat_matches:
                failure.count -= 1
                if failure.count <= 0:
                    self.planned.remove(failure)
                return self._note(method, failure)
        in_scope = (
            method not in BOOTSTRAP if self.rate_methods is None else (method in self.rate_methods)
        )
        if self.rate > 0 and in_scope and self.rng.random() < self.rate:
            status = self.rng.choice(self.statuses)
            late = (status >= 500 or status in LOST) and self.rng.random() < self.after_effect
            return self._note(method, PlannedFailure(method, status, 1, 1, None, late))
        return None

    def _note(self, method: str, failure: PlannedFailure) -> PlannedFailure:
        """Record an injected failure and return it."""
        self.injected.append((method, failure.status))
        if failure.after_effect:
            self.after_effects.append((method, failure.status))
        return failure


class FloodControl:
    """Sliding-window counters per chat and overall, answering 429 when a limit is broken."""

    def __init__(self, limits: RateLimits, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self.clock = clock
        self.windows: dict[str, deque[float]] = {}
        self.too_many_requests = 0

    def _take(self, key: str, limit: tuple[int, float], now: float) -> int:
        """Return seconds to wait before key may send again, or 0 after counting this send."""
        count, seconds = limit
        window = self.windows.setdefault(key, deque())
        while window and window[0] <= now - seconds:
            window.popleft()
        if len(window) >= count:
            return max(1, math.ceil(window[0] + seconds - now))
        return 0

    def check(self, chat_id: object) -> None:
        """Count one message to chat_id or raise 429 with retry_after."""
        now = self.clock()
        checks: list[tuple[str, tuple[int, float]]] = [("*", self.limits.overall)]
        if isinstance(chat_id, int):
            limit = self.limits.private if chat_id > 0 else self.limits.group
            checks.append((str(chat_id), limit))
        for key, limit in checks:
            wait = self._take(key, limit, now)
            if wait:
                self.too_many_requests += 1
                raise too_many_requests(wait)
        for key, _ in checks:
            self.windows[key].append(now)
