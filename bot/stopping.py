"""Stop in steps that may not hang: each gets a time limit, and an overrun names what waited."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

log = logging.getLogger(__name__)

STOP_STEP_SECONDS = 20.0  # the longest one stop step may take (intake and outbox allow 10 s)

Step = tuple[str, Callable[[], Awaitable[object]]]


async def run_bounded(steps: Sequence[Step], limit: float, overruns: list[str]) -> None:
    """Await each step for at most `limit` seconds; cancel one that overruns, log it with the
    tasks still waiting, add that line to `overruns`, and go on with the next step."""
    for name, step in steps:
        task = asyncio.ensure_future(step())
        done, _ = await asyncio.wait({task}, timeout=limit)
        if done:
            task.result()
            continue
        waiting = describe_tasks(exclude={task, asyncio.current_task()})
        overrun = f"stopping {name} took over {limit:g} s; waiting: {waiting}"
        overruns.append(overrun)
        log.error("%s", overrun)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


def describe_tasks(exclude: set[asyncio.Task[Any] | None]) -> str:
    """Name every other pending task with the line its coroutine is suspended at."""
    described = []
    for task in asyncio.all_tasks():
        if task in exclude or task.done():
            continue
        frames = task.get_stack(limit=1)
        where = f"{frames[0].f_code.co_filename}:{frames[0].f_lineno}" if frames else "?"
        described.append(f"{task.get_name()} at {where}")
    return "; ".join(sorted(described)) or "no other task"


async def wait_event(event: asyncio.Event, seconds: float) -> None:
    """Wait until `event` is set, at most `seconds`.

    Not `asyncio.wait_for`: on Python 3.11 it loses a cancellation that arrives in the same
    turn of the loop as the event (it returns instead of raising), and a loop waiting with it
    then runs on after its task was cancelled; stopping the bot hung on exactly that.
    """
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(seconds):
            await event.wait()
