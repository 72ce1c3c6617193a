"""A month's council report is claimed once, however many runs ask at the same moment."""

from __future__ import annotations

import asyncio

from storage.database import Database
from storage.insight import InsightRepository


async def test_one_of_many_simultaneous_claims_wins_and_a_release_lets_the_next_try(
    db: Database,
) -> None:
    first, second = InsightRepository(db), InsightRepository(db)
    assert not await first.posted("2026-10")
    claims = await asyncio.gather(
        *(repo.claim_post("2026-10", "2026-11-01T06:00:00") for repo in (first, second) * 4)
    )
    assert sorted(claims) == [False] * 7 + [True]
    assert await second.posted("2026-10") and not await second.posted("2026-11")
    await first.release_post("2026-10")
    assert not await first.posted("2026-10")
    assert await second.claim_post("2026-10", "2026-11-01T07:00:00")
