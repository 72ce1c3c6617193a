"""Keep to Telegram's flood limits, and let replies to residents go before bulk sends.

Every message-producing call (send*, edit*, copyMessage, forwardMessage) to a chat counts
against three sliding windows: overall (30 per second), per group (20 per minute) and per
private chat (1 per second). A window slot is held from the moment a call is let through until
one window length after its answer arrived, so however long the request travels, Telegram never
sees more than the limit in any window: no margin to tune, at the cost of one round trip per
slot. Waiting calls go in priority order (lower first, then first come): a reply to a resident
never waits behind bulk sends, and bulk waits while more urgent calls are waiting. A 429 pauses
the chat it came from (or everything, for calls without a chat) for `retry_after`, then the
call is tried again, up to `max_retries` times.

Longer than 300 lines because the three windows, the priority queue and the 429 pauses share
one lock and must be read together to see that no limit is ever exceeded.
"""

from __future__ import annotations

import asyncio
import bisect
import itertools
import logging
import math
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Protocol

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

log = logging.getLogger(__name__)

Limit = tuple[int, float]
"""At most this many calls (first) in any window of this many seconds (second)."""

ChatKey = int | str
Answer = bool | dict[str, Any] | list[dict[str, Any]]

_COUNTED_PREFIXES = ("send", "edit", "copymessage", "forwardmessage", "stoppoll")
_NOT_COUNTED = frozenset({"sendchataction"})
_SWEEP_AT = 4096


@dataclass(frozen=True)
class RateLimitArgs:
    """What a caller tells the limiter about one call (PTB passes it as `rate_limit_args`).

    `paced=False` lets a call skip the private-chat pace (Telegram tolerates short bursts in
    answer to the user's own action); it still counts, so paced calls to that chat keep their
    distance. `on_start` is called once, when the call is first let through, and awaited
    (holding the call's slots) when it returns an awaitable; if it raises, the call is not made.
    """

    priority: int = 0
    paced: bool = True
    on_start: Callable[[], Awaitable[None] | None] | None = field(default=None, compare=False)


INTERACTIVE = RateLimitArgs(priority=0, paced=False)
"""How calls without rate_limit_args go: first, and free to burst in a private chat."""


class Cancellable(Protocol):
    """A scheduled callback that can be called off."""

    def cancel(self) -> object: ...


class TimeSource(Protocol):
    """A monotonic clock in seconds that can run a callback at a given time."""

    def time(self) -> float: ...

    def call_at(self, when: float, callback: Callable[[], object]) -> Cancellable: ...


class LoopTime:
    """The running event loop's monotonic time."""

    def time(self) -> float:
        return asyncio.get_running_loop().time()

    def call_at(self, when: float, callback: Callable[[], object]) -> Cancellable:
        return asyncio.get_running_loop().call_at(when, callback)


class Window:
    """At most `count` calls in any `seconds`; a slot is busy until `seconds` after the answer."""

    __slots__ = ("_answered", "busy", "count", "seconds")

    def __init__(self, limit: Limit) -> None:
        self.count, self.seconds = limit
        if self.count < 1 or self.seconds < 0:
            raise ValueError(f"a limit needs at least one call and no negative time: {limit}")
        self.busy = 0
        self._answered: deque[float] = deque()

    @property
    def limit(self) -> Limit:
        """Return (count, seconds)."""
        return self.count, self.seconds

    def delay(self, now: float) -> float | None:
        """Return seconds until a slot is free (0: now), or None while all wait for answers."""
        answered = self._answered
        while answered and answered[0] + self.seconds <= now:
            answered.popleft()
        if self.busy + len(answered) < self.count:
            return 0.0
        if answered:
            return answered[0] + self.seconds - now
        return None

    def take(self) -> None:
        """Occupy a slot for a call that starts now."""
        self.busy += 1

    def give_back(self, now: float) -> None:
        """Free the call's slot one window after its answer, which arrived at `now`."""
        self.busy -= 1
        self._answered.append(now)

    def idle(self, now: float) -> bool:
        """Return whether the window holds nothing any more."""
        return self.delay(now) == 0.0 and self.busy == 0 and not self._answered


@dataclass(eq=False)
class _Ticket:
    """One call waiting for (or holding) its slots."""

    priority: int
    seq: int
    chat: ChatKey | None
    counted: bool
    paced: bool
    future: asyncio.Future[None] | None = None
    windows: tuple[Window, ...] = ()


class PriorityRateLimiter(BaseRateLimiter[RateLimitArgs | int]):
    """Throttle Bot API calls to Telegram's limits in priority order; retry after a 429.

    `rate_limit_args` may be a RateLimitArgs, a bare priority (int) or absent (INTERACTIVE).
    Calls without a chat, and calls that produce no message, are not counted; they only wait
    for a global pause after a 429.
    """

    def __init__(
        self,
        *,
        overall: Limit = (30, 1.0),
        group: Limit = (20, 60.0),
        private: Limit = (1, 1.0),
        max_retries: int = 3,
        time: TimeSource | None = None,
    ) -> None:
        self._overall = Window(overall)
        self._group_limit = Window(group).limit
        self._private_limit = Window(private).limit
        self._max_retries = max_retries
        self._time: TimeSource = time or LoopTime()
        self._chats: dict[ChatKey, Window] = {}
        self._paused: dict[ChatKey | None, float] = {}
        self._waiting: list[_Ticket] = []
        self._seq = itertools.count()
        self._timer: Cancellable | None = None
        self._timer_at = math.inf

    async def initialize(self) -> None:
        """Nothing to prepare."""

    async def shutdown(self) -> None:
        """Stop the wake-up timer; calls still waiting are cancelled by their owners."""
        self._cancel_timer()

    @property
    def waiting(self) -> int:
        """Return how many calls wait for a slot."""
        return len(self._waiting)

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Answer]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: RateLimitArgs | int | None,
    ) -> Answer:
        """Wait for the call's turn and slots, make it, and retry it after a 429."""
        given = _args(rate_limit_args)
        chat = _chat_key(data.get("chat_id"))
        method = endpoint.lower()
        ticket = _Ticket(
            priority=given.priority,
            seq=next(self._seq),
            chat=chat,
            counted=chat is not None
            and method.startswith(_COUNTED_PREFIXES)
            and method not in _NOT_COUNTED,
            paced=given.paced,
        )
        attempt = 0
        while True:
            await self._acquire(ticket)
            try:
                if attempt == 0 and given.on_start is not None:
                    started = given.on_start()
                    if started is not None:
                        await started
                return await callback(*args, **kwargs)
            except RetryAfter as flood:
                if attempt >= self._max_retries:
                    raise
                self._pause(chat, retry_seconds(flood.retry_after))
            finally:
                self._release(ticket)
            attempt += 1

    def _pause(self, chat: ChatKey | None, seconds: float) -> None:
        """Hold back calls to chat (None: all calls) for seconds after a 429."""
        until = self._time.time() + seconds
        self._paused[chat] = max(until, self._paused.get(chat, 0.0))
        log.info("flood control: %s paused for %.1f s", "chat" if chat else "bot", seconds)

    async def _acquire(self, ticket: _Ticket) -> None:
        """Wait until the ticket's slots are granted."""
        if not ticket.counted and self._pause_left(None, self._time.time()) == 0:
            # A call that takes no slot goes at once unless everything is paused (as the
            # pump would let it through at once), without waiting for a turn of the loop.
            return
        ticket.future = asyncio.get_running_loop().create_future()
        bisect.insort(self._waiting, ticket, key=_turn)
        self._pump()
        try:
            await ticket.future
        except asyncio.CancelledError:
            if ticket in self._waiting:
                self._waiting.remove(ticket)
            elif ticket.windows:
                self._release(ticket)
            raise

    def _release(self, ticket: _Ticket) -> None:
        """Give back the ticket's slots as answered now, and let the next calls through."""
        if not ticket.windows:
            return  # nothing freed: nobody waiting can go now who could not before
        now = self._time.time()
        for window in ticket.windows:
            window.give_back(now)
        ticket.windows = ()
        if len(self._chats) > _SWEEP_AT:
            self._chats = {k: w for k, w in self._chats.items() if not w.idle(now)}
        self._pump()

    def _chat_window(self, chat: ChatKey) -> Window:
        """Return the window of a chat, made on first use."""
        window = self._chats.get(chat)
        if window is None:
            group = isinstance(chat, str) or chat < 0
            window = Window(self._group_limit if group else self._private_limit)
            self._chats[chat] = window
        return window

    def _pause_left(self, key: ChatKey | None, now: float) -> float:
        """Return how long the pause on key still lasts (0 when none)."""
        until = self._paused.get(key)
        if until is None:
            return 0.0
        if until <= now:
            del self._paused[key]
            return 0.0
        return until - now

    def _pump(self) -> None:
        """Let through every waiting call whose turn and slots have come; set the next wake-up.

        `_waiting` is kept in turn order (priority, then arrival), so the pump only walks it.
        Within one pump the windows only fill up, so what was found blocked stays blocked:
        once the overall window is full, counted calls are passed over without a look, and so
        are the further calls of a group chat found blocked (a busy group may have dozens
        waiting for its 20 a minute).
        """
        now = self._time.time()
        wake = math.inf
        overall = self._overall.delay(now)
        everything = self._pause_left(None, now)
        overall_full = False
        blocked_groups: set[ChatKey] = set()
        granted: list[_Ticket] = []
        for ticket in self._waiting:
            delay = everything
            windows: tuple[Window, ...] = ()
            chat_key = ticket.chat
            if ticket.counted and chat_key is not None:
                if overall is None or overall > 0:
                    overall_full = True  # its wake-up is set once, after the walk
                    continue
                if chat_key in blocked_groups:
                    continue  # its wake-up was set at its first call
                group = isinstance(chat_key, str) or chat_key < 0
                chat = self._chat_window(chat_key)
                delay = max(delay, self._pause_left(chat_key, now))
                if ticket.paced or group:
                    # Unpaced private calls skip only the chat's pace; they still count in it.
                    pace = chat.delay(now)
                    if pace is None:
                        if group:
                            blocked_groups.add(chat_key)
                        continue
                    delay = max(delay, pace)
                if group and delay > 0:
                    blocked_groups.add(chat_key)
                windows = (self._overall, chat)
            if delay > 0:
                wake = min(wake, now + delay)
                continue
            ticket.windows = windows
            for window in windows:
                window.take()
            granted.append(ticket)
            if windows:
                overall = self._overall.delay(now)
        if overall_full and overall is not None:
            # No counted call goes before the overall window frees: look again then.
            wake = min(wake, now + max(overall, everything))
        if granted:
            done = {id(ticket) for ticket in granted}
            self._waiting = [ticket for ticket in self._waiting if id(ticket) not in done]
            for ticket in granted:
                if ticket.future is not None and not ticket.future.done():
                    ticket.future.set_result(None)
        self._arm(wake)

    def _arm(self, wake: float) -> None:
        """Run the pump again at wake (if finite), replacing any other wake-up."""
        if wake == self._timer_at:
            return
        self._cancel_timer()
        if math.isfinite(wake):
            self._timer_at = wake
            self._timer = self._time.call_at(wake, self._on_timer)

    def _on_timer(self) -> None:
        """Forget the fired timer and pump."""
        self._timer = None
        self._timer_at = math.inf
        self._pump()

    def _cancel_timer(self) -> None:
        """Call off the pending wake-up, if any."""
        if self._timer is not None:
            self._timer.cancel()
        self._timer = None
        self._timer_at = math.inf


def _turn(ticket: _Ticket) -> tuple[int, int]:
    """Return a waiting call's place in the queue: priority first, then arrival."""
    return ticket.priority, ticket.seq


def _args(given: RateLimitArgs | int | None) -> RateLimitArgs:
    """Return the call's RateLimitArgs: INTERACTIVE when absent, a bare int as priority."""
    if given is None:
        return INTERACTIVE
    if isinstance(given, int):
        return RateLimitArgs(priority=given, paced=given > 0)
    return given


def _chat_key(chat_id: object) -> ChatKey | None:
    """Return the chat a call goes to: an int id, an @username, or None."""
    if isinstance(chat_id, bool) or chat_id is None:
        return None
    if isinstance(chat_id, int):
        return chat_id
    if isinstance(chat_id, str):
        try:
            return int(chat_id)
        except ValueError:
            return chat_id
    return None


def retry_seconds(retry_after: timedelta | float) -> float:
    """Return retry_after in seconds, whether PTB gives a timedelta or a number."""
    if isinstance(retry_after, timedelta):
        return retry_after.total_seconds()
    return float(retry_after)
