"""Fifty `kill -9`s of the real bot process while residents report and caseworkers claim, under
Telegram faults: nothing confirmed is lost, nobody is left without an answer, nothing arrives
twice unmarked (bench/chaos.py runs the same with 500 kills; BENCHMARKS.md has its results).

Kept out of tests/e2e so it runs once in CI, not again on the newest Python.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.chaos import ChaosRun, ChaosSettings


@pytest.mark.timeout(900)
async def test_fifty_kills_lose_nothing_and_leave_nobody_without_an_answer(
    tmp_path: Path,
) -> None:
    run = ChaosRun(tmp_path, ChaosSettings(kills=50, seed=50))
    result = await run.run()
    assert result.kills + len(result.own_exits) == 50
    assert result.pressed_send > 0 and result.reports >= result.pressed_send
    troubled = [
        f"{log.user_id}: {log.notes[-3:]}"
        for log in run.logs
        if log.gave_up or log.unanswered or (log.pressed_send and not log.reference)
    ]
    assert result.failures == [], (
        f"{result.failures}\ntroubled residents: {troubled[:10]}\nerrors: {result.error_lines[:20]}"
    )
