"""Moving the injected clock on, and letting the bot catch up."""

from __future__ import annotations

import asyncio
from datetime import datetime

from tests.e2e.steps.chain import Chain, running


async def move_to(chain: Chain, moment: datetime) -> None:
    """Set the clock, let the sender send what fell due, and wait until the bot is quiet."""
    chain.run.clock.set(moment)
    dispatcher = running(chain).dispatcher
    dispatcher.wake()
    await asyncio.sleep(0.1)  # the claim
    for _ in range(100):  # sends that wait for the rate limiter included
        if not dispatcher.in_flight:
            break
        await asyncio.sleep(0.05)
    await chain.run.api.wait_idle(quiet=0.3)
