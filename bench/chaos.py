"""Kill the real bot with SIGKILL hundreds of times while residents report and a caseworker
claims, with Telegram failing a fifth of the bot's calls; count what was lost.

The run is tests/e2e/chaos.py's `ChaosRun` (the same one the 50-kill test uses): residents
report in parallel lanes, each answering whatever the bot asks last; the bot is killed after a
random 0.2-2.5 s of polling (a tenth of the rounds while it starts) and started again. It prints
one table row and the broken invariants; its exit code is 1 when any invariant broke.

Run from the repository root:

    .venv/bin/python -m bench.chaos                 # 500 kills
    .venv/bin/python -m bench.chaos --kills 100     # about 5 minutes
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import sqlite3
import sys
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from tests.e2e.chaos import ChaosRun, ChaosSettings
from tests.e2e.chaos_checks import ChaosResult


def table(result: ChaosResult) -> str:
    """Return the result as a Markdown table row with its header."""
    row = {
        "date (UTC)": datetime.now(UTC).date().isoformat(),
        "machine": f"{platform.system()} {platform.machine()}, Python {platform.python_version()}"
        f", SQLite {sqlite3.sqlite_version}",
        **result.row(),
        "parked updates": result.parked_updates,
        "marked copies": result.marked_copies,
    }
    header = "| " + " | ".join(row) + " |"
    rule = "|" + "---|" * len(row)
    values = "| " + " | ".join(str(value) for value in row.values()) + " |"
    return "\n".join((header, rule, values))


async def measure(kills: int, lanes: int, seed: int) -> ChaosResult:
    """Run the chaos in a temporary folder and return what it measured."""
    with tempfile.TemporaryDirectory() as folder:
        settings = ChaosSettings(kills=kills, lanes=lanes, seed=seed, progress=True)
        return await ChaosRun(Path(folder), settings).run()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=500)
    parser.add_argument("--lanes", type=int, default=6, help="residents reporting at once")
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args(argv)
    result = asyncio.run(measure(args.kills, args.lanes, args.seed))
    print(table(result))
    startups = result.startup_seconds
    if startups:
        print(f"start-up to polling: {sum(startups) / len(startups):.2f} s on average")
    print(f"rounds killed while starting: {result.startup_kills}")
    print(f"uncertain rows: {result.uncertain_rows}, resends: {result.uncertain_resends}")
    print(f"stuck actions (answered, no next question): {result.stuck}")
    for parked in result.parked:
        print(f"parked: {parked}")
    for refusal, count in result.refusal_kinds.most_common():
        print(f"refused {count}x: {refusal}")
    for failure in result.failures:
        print(f"FAILED: {failure}")
    return 1 if result.failures else 0


if __name__ == "__main__":
    sys.exit(main())
