"""A loop that waits for its wake-up event must stop when its task is cancelled, also when the
event is set in the same turn of the loop (asyncio.wait_for on Python 3.11 loses that
cancellation, and stopping the bot hung on it)."""

from __future__ import annotations

import asyncio

import pytest

from bot.stopping import wait_event


async def test_a_cancellation_as_the_event_is_set_is_not_lost() -> None:
    event = asyncio.Event()
    task = asyncio.create_task(wait_event(event, 5))
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    event.set()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_it_returns_when_set_or_after_the_time() -> None:
    event = asyncio.Event()
    event.set()
    await wait_event(event, 5)
    await wait_event(asyncio.Event(), 0.01)
