"""Run a Python module with a heartbeat on its asyncio event loop, to measure loop stalls.

    python -m bench.heartbeat bot            # runs `python -m bot` with the heartbeat

Every event loop the module creates gets a callback every 5 ms that notes how late it ran. A
thread writes every lateness above 5 ms, with its `time.monotonic()` moment, to the JSON file
named by `BENCH_HEARTBEAT_FILE` twice a second, so the driver can pick the stalls of the phase
it measured (monotonic time is shared by every process on Linux). With `BENCH_PROFILE_FILE`
set, the module runs under cProfile and its statistics are written there when it ends. Used by
bench/updates.py (`--profile`).
"""

from __future__ import annotations

import asyncio
import cProfile
import json
import os
import runpy
import sys
import threading
import time
from pathlib import Path

INTERVAL = 0.005
"""Seconds between beats."""
NOTED = 0.005
"""Lateness worth writing down, in seconds."""

_stalls: list[tuple[float, float]] = []
_lock = threading.Lock()


def _beat(loop: asyncio.AbstractEventLoop, due: float) -> None:
    now = time.monotonic()
    late = now - due
    if late > NOTED:
        with _lock:
            _stalls.append((now, late))
    loop.call_at(loop.time() + INTERVAL, _beat, loop, now + INTERVAL)


class _Policy(asyncio.DefaultEventLoopPolicy):
    def new_event_loop(self) -> asyncio.AbstractEventLoop:
        loop = super().new_event_loop()
        loop.call_soon(_beat, loop, time.monotonic())
        return loop


def _writer(path: Path) -> None:
    while True:
        time.sleep(0.5)
        with _lock:
            data = json.dumps(_stalls)
        path.write_text(data, encoding="utf-8")


def main() -> None:
    """Install the heartbeat and run the module named on the command line as __main__."""
    module = sys.argv[1]
    target = os.environ.get("BENCH_HEARTBEAT_FILE")
    if target:
        threading.Thread(target=_writer, args=(Path(target),), daemon=True).start()
    asyncio.set_event_loop_policy(_Policy())
    sys.argv = [module, *sys.argv[2:]]
    profile_to = os.environ.get("BENCH_PROFILE_FILE")
    if not profile_to:
        runpy.run_module(module, run_name="__main__", alter_sys=True)
        return
    profiler = cProfile.Profile()
    try:
        profiler.runcall(runpy.run_module, module, run_name="__main__", alter_sys=True)
    finally:
        profiler.dump_stats(profile_to)


if __name__ == "__main__":
    main()
