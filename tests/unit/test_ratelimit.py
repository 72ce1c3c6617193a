"""The priority rate limiter, on a fake monotonic clock: exact limits, priorities, 429s."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from telegram.error import RetryAfter

from bot.ratelimit import PriorityRateLimiter, RateLimitArgs, Window, retry_seconds

BULK = RateLimitArgs(priority=20)


@dataclass
class FakeTimer:
    """A callback the fake clock runs when its time comes."""

    when: float
    callback: Callable[[], object]
    cancelled: bool = False

    def cancel(self) -> None:
        self.cancelled = True


@dataclass
class FakeTime:
    """A monotonic clock that only moves when the test runs it forward."""

    now: float = 0.0
    timers: list[FakeTimer] = field(default_factory=list)

    def time(self) -> float:
        return self.now

    def call_at(self, when: float, callback: Callable[[], object]) -> FakeTimer:
        timer = FakeTimer(when, callback)
        self.timers.append(timer)
        return timer

    async def run_until(self, end: float) -> None:
        """Fire every timer up to end in time order, letting the tasks react after each."""
        while True:
            await settle()
            due = [t for t in self.timers if not t.cancelled and t.when <= end]
            if not due:
                break
            timer = min(due, key=lambda t: t.when)
            self.timers.remove(timer)
            self.now = max(self.now, timer.when)
            timer.callback()
        self.now = end
        await settle()


async def settle() -> None:
    """Let every ready task run until nothing moves any more."""
    for _ in range(50):
        await asyncio.sleep(0)


@dataclass
class Telegram:
    """A fake Bot API call site that records when each call reached it."""

    clock: FakeTime
    calls: list[tuple[float, str]] = field(default_factory=list)
    floods: dict[str, list[int | timedelta]] = field(default_factory=dict)
    answers: dict[str, asyncio.Event] = field(default_factory=dict)

    def times(self, label: str) -> list[float]:
        """Return when calls with this label reached Telegram."""
        return [at for at, seen in self.calls if seen == label]

    def request(
        self,
        limiter: PriorityRateLimiter,
        label: str,
        chat_id: int | str | None,
        limits: RateLimitArgs | int | None = BULK,
        endpoint: str = "sendMessage",
    ) -> asyncio.Task[Any]:
        """Start one call through the limiter."""

        async def callback(*args: Any, **kwargs: Any) -> dict[str, Any]:
            self.calls.append((self.clock.now, label))
            waits = self.floods.get(label)
            if waits:
                raise RetryAfter(waits.pop(0))
            answer = self.answers.get(label)
            if answer is not None:
                await answer.wait()
            return {"message_id": len(self.calls)}

        data: dict[str, Any] = {} if chat_id is None else {"chat_id": chat_id}
        return asyncio.create_task(
            limiter.process_request(callback, (), {}, endpoint, data, limits)
        )


@pytest.fixture
def clock() -> FakeTime:
    return FakeTime()


@pytest.fixture
def telegram(clock: FakeTime) -> Telegram:
    return Telegram(clock)


def limiter_on(clock: FakeTime, **limits: Any) -> PriorityRateLimiter:
    """Return a limiter with Telegram's limits (or the given ones) on the fake clock."""
    return PriorityRateLimiter(time=clock, **limits)


def most_in_any_window(times: list[float], seconds: float) -> int:
    """Return the largest number of calls within any half-open window of that length."""
    ordered = sorted(times)
    return max(sum(1 for other in ordered if start <= other < start + seconds) for start in ordered)


async def test_no_more_than_thirty_calls_go_out_in_any_second(
    clock: FakeTime, telegram: Telegram
) -> None:
    limiter = limiter_on(clock)
    tasks = [telegram.request(limiter, "bulk", chat) for chat in range(1, 101)]
    await clock.run_until(10)
    assert all(task.done() for task in tasks)
    times = telegram.times("bulk")
    assert [times.count(second) for second in (0.0, 1.0, 2.0, 3.0)] == [30, 30, 30, 10]
    assert most_in_any_window(times, 1.0) == 30


async def test_a_private_chat_gets_one_paced_call_per_second(
    clock: FakeTime, telegram: Telegram
) -> None:
    limiter = limiter_on(clock)
    for _ in range(4):
        telegram.request(limiter, "anna", 1001)
    await clock.run_until(10)
    assert telegram.times("anna") == [0.0, 1.0, 2.0, 3.0]


async def test_a_group_gets_twenty_calls_per_minute(clock: FakeTime, telegram: Telegram) -> None:
    limiter = limiter_on(clock)
    for _ in range(45):
        telegram.request(limiter, "politie", -100200300)
    await clock.run_until(200)
    times = telegram.times("politie")
    assert times == [0.0] * 20 + [60.0] * 20 + [120.0] * 5
    assert most_in_any_window(times, 60.0) == 20


async def test_a_full_group_holds_back_only_its_own_calls_behind_it(
    clock: FakeTime, telegram: Telegram
) -> None:
    limiter = limiter_on(clock)
    for _ in range(30):
        telegram.request(limiter, "politie", -100200300)
    for _ in range(3):
        telegram.request(limiter, "handhaving", -100200400)
        telegram.request(limiter, "anna", 1001)
    await clock.run_until(200)
    assert telegram.times("politie") == [0.0] * 20 + [60.0] * 10
    assert telegram.times("handhaving") == [0.0] * 3, "queued behind a full group, yet at once"
    assert telegram.times("anna") == [0.0, 1.0, 2.0]


async def test_a_slot_is_held_until_one_window_after_the_answer(
    clock: FakeTime, telegram: Telegram
) -> None:
    limiter = limiter_on(clock)
    telegram.answers["slow"] = asyncio.Event()
    telegram.request(limiter, "slow", 1001)
    telegram.request(limiter, "next", 1001)
    await clock.run_until(0.4)
    telegram.answers["slow"].set()
    await clock.run_until(5)
    assert telegram.times("slow") == [0.0]
    assert telegram.times("next") == [1.4], "Telegram may have seen the first call as late as 0.4"


async def test_interactive_calls_go_before_waiting_bulk_calls(
    clock: FakeTime, telegram: Telegram
) -> None:
    limiter = limiter_on(clock)
    for chat in range(1, 61):
        telegram.request(limiter, "bulk", chat)
    await settle()
    for chat in range(101, 106):
        telegram.request(limiter, "reply", chat, None)
    telegram.request(limiter, "notification", -100, 10)
    await clock.run_until(5)
    second = [label for at, label in telegram.calls if at == 1.0]
    assert second[:6] == ["reply"] * 5 + ["notification"]
    assert second.count("bulk") == 24
    assert len(telegram.times("bulk")) == 60


async def test_a_reply_to_a_resident_may_burst_but_paced_calls_keep_their_distance(
    clock: FakeTime, telegram: Telegram
) -> None:
    limiter = limiter_on(clock)
    for _ in range(3):
        telegram.request(limiter, "reply", 1001, None)
    await clock.run_until(0.5)
    telegram.request(limiter, "follow-up", 1001, RateLimitArgs(priority=0))
    await clock.run_until(5)
    assert telegram.times("reply") == [0.0, 0.0, 0.0]
    assert telegram.times("follow-up") == [1.0]


async def test_retry_after_pauses_only_that_chat_and_then_retries(
    clock: FakeTime, telegram: Telegram
) -> None:
    limiter = limiter_on(clock)
    telegram.floods["flooded"] = [timedelta(seconds=5)]
    flooded = telegram.request(limiter, "flooded", 7)
    telegram.request(limiter, "flooded-again", 7)
    await clock.run_until(2)
    telegram.request(limiter, "other", 8)
    await clock.run_until(10)
    assert telegram.times("flooded") == [0.0, 5.0]
    assert telegram.times("flooded-again") == [6.0]
    assert telegram.times("other") == [2.0]
    assert flooded.result() == {"message_id": 3}, "the retried call succeeded"


async def test_retry_after_on_a_call_without_a_chat_pauses_every_call(
    clock: FakeTime, telegram: Telegram
) -> None:
    limiter = limiter_on(clock)
    telegram.floods["commands"] = [3]
    telegram.request(limiter, "commands", None, endpoint="setMyCommands")
    await settle()
    telegram.request(limiter, "message", 1001)
    telegram.request(limiter, "answer", None, endpoint="answerCallbackQuery")
    await clock.run_until(10)
    assert telegram.times("commands") == [0.0, 3.0]
    assert telegram.times("message") == [3.0]
    assert telegram.times("answer") == [3.0]


async def test_a_call_that_keeps_hitting_429_fails_after_max_retries(
    clock: FakeTime, telegram: Telegram
) -> None:
    limiter = limiter_on(clock, max_retries=2)
    telegram.floods["stuck"] = [timedelta(seconds=1)] * 5
    stuck = telegram.request(limiter, "stuck", 7)
    await clock.run_until(10)
    assert telegram.times("stuck") == [0.0, 1.0, 2.0]
    with pytest.raises(RetryAfter):
        stuck.result()
    assert limiter.waiting == 0


async def test_calls_that_send_no_message_are_not_counted(
    clock: FakeTime, telegram: Telegram
) -> None:
    limiter = limiter_on(clock)
    for _ in range(40):
        telegram.request(limiter, "answer", None, endpoint="answerCallbackQuery")
        telegram.request(limiter, "typing", 1001, endpoint="sendChatAction")
    await settle()
    assert telegram.times("answer") == [0.0] * 40
    assert telegram.times("typing") == [0.0] * 40


async def test_a_call_that_takes_no_slot_goes_out_at_once_even_with_calls_waiting(
    clock: FakeTime, telegram: Telegram
) -> None:
    limiter = limiter_on(clock)
    for chat in range(40):  # ten of them wait for the overall window
        telegram.request(limiter, "bulk", 1001 + chat)
    await settle()
    assert limiter.waiting == 10
    telegram.request(limiter, "answer", None, endpoint="answerCallbackQuery")
    await asyncio.sleep(0)  # the task's first step: no turn of the loop to wait for
    assert telegram.times("answer") == [0.0]


async def test_on_start_is_called_once_when_the_call_first_goes_out(
    clock: FakeTime, telegram: Telegram
) -> None:
    limiter = limiter_on(clock)
    started: list[float] = []
    telegram.request(limiter, "first", 1001)
    telegram.floods["second"] = [1]
    args = RateLimitArgs(priority=10, on_start=lambda: started.append(clock.now))
    telegram.request(limiter, "second", 1001, args)
    await settle()
    assert started == []
    await clock.run_until(5)
    assert started == [1.0]
    assert telegram.times("second") == [1.0, 2.0]


async def test_a_cancelled_waiting_call_gives_its_turn_away(
    clock: FakeTime, telegram: Telegram
) -> None:
    limiter = limiter_on(clock)
    telegram.request(limiter, "first", 1001)
    waiting = telegram.request(limiter, "cancelled", 1001)
    telegram.request(limiter, "third", 1001)
    await settle()
    waiting.cancel()
    await clock.run_until(5)
    assert telegram.times("cancelled") == []
    assert telegram.times("third") == [1.0]
    assert limiter.waiting == 0


def test_a_window_counts_answers_until_they_are_one_window_old() -> None:
    window = Window((2, 1.0))
    assert window.delay(0.0) == 0.0
    window.take()
    window.take()
    assert window.delay(0.1) is None, "both calls are still waiting for an answer"
    window.give_back(0.2)
    assert window.delay(0.5) == pytest.approx(0.7)
    assert window.delay(1.2) == 0.0
    with pytest.raises(ValueError, match="at least one call"):
        Window((0, 1.0))


@pytest.mark.parametrize(
    ("retry_after", "seconds"), [(timedelta(seconds=3), 3.0), (3, 3.0), (2.5, 2.5)]
)
def test_retry_after_is_read_as_a_timedelta_or_a_number(
    retry_after: timedelta | float, seconds: float
) -> None:
    assert retry_seconds(retry_after) == seconds
