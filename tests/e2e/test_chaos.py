"""Lose nothing: the real bot, killed with SIGKILL at random moments over and over while
residents report and a caseworker claims, and Telegram fails a fifth of its calls.

About two minutes on two cores; bench/chaos.py runs the same with 500 kills.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.chaos import ChaosRun, ChaosSettings

pytestmark = pytest.mark.timeout(400)


async def test_nothing_is_lost_when_the_bot_is_killed_fifty_times(tmp_path: Path) -> None:
    run = ChaosRun(tmp_path, ChaosSettings(kills=50, lanes=6, kill_after=(0.2, 1.5)))
    result = await run.run()
    print(result.row(), f"parked: {result.parked}", f"refused: {result.refusal_kinds}")
    troubled = [
        f"{log.user_id}: {'; '.join(log.notes)}"
        for log in run.logs
        if log.unanswered or log.gave_up or (log.pressed_send and log.reference is None)
    ]
    assert result.kills + len(result.own_exits) >= 50
    assert result.pressed_send > 0 and result.reports > 0
    assert result.failures == [], "\n".join(result.failures + troubled)
