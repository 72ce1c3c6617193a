"""Settings shared by every test."""

from __future__ import annotations

import os
import sys
import threading

import aiosqlite.core as aiosqlite_core
import pytest

# python-telegram-bot 22 warns when it builds RetryAfter unless durations are timedeltas;
# warnings are errors in the tests, and Meldbot sets the same in production (bot/__main__.py).
os.environ.setdefault("PTB_TIMEDELTA", "true")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Stop database threads a failed test left open, so the test run can exit.

    aiosqlite runs each connection in a thread that is not a daemon. When a test fails while
    Meldbot holds its database open, pytest keeps the failure's frames (and so the connection)
    alive, and the interpreter would wait for that thread at exit, for ever.
    """
    workers = [
        thread
        for thread in threading.enumerate()
        if getattr(thread, "_target", None) is aiosqlite_core._connection_worker_thread
    ]
    for thread in workers:  # a connection closed just now: its thread is ending by itself
        thread.join(timeout=1)
    leaked = [thread for thread in workers if thread.is_alive()]
    for thread in leaked:
        queue = thread._args[0]  # type: ignore[attr-defined]
        queue.put((None, _stop_worker))
    for thread in leaked:
        thread.join(timeout=5)
    if leaked:
        print(
            f"\nconftest: stopped {len(leaked)} database thread(s) left open by tests",
            file=sys.stderr,
        )


def _stop_worker() -> object:
    """Tell an aiosqlite worker thread to end (its loop stops on this sentinel)."""
    return aiosqlite_core._STOP_RUNNING_SENTINEL
