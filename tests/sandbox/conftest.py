"""Start `meldbot sandbox` as a newcomer would: the installed command, no token, no network."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from datetime import time as dt_time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

ROOT = Path(__file__).resolve().parents[2]
URL = re.compile(r"open (http://\S+) in your browser")
ENSCHEDE = ZoneInfo("Europe/Amsterdam")
TUESDAY = 1


@dataclass
class RunningSandbox:
    """A `meldbot sandbox` process and the address of its page."""

    process: subprocess.Popen[str]
    url: str
    directory: Path


def meldbot_command() -> list[str]:
    """Return the installed `meldbot` beside this Python, or `python -m bot`."""
    script = Path(sys.executable).with_name("meldbot")
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot"]


def start_sandbox(directory: Path, *extra: str, timeout: float = 30.0) -> RunningSandbox:
    """Start the sandbox on a free port and wait for the line that gives its address."""
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "MELDBOT_"))
    }
    process = subprocess.Popen(
        [
            *meldbot_command(),
            "sandbox",
            "--no-browser",
            "--port",
            "0",
            "--dir",
            str(directory),
            *extra,
        ],
        cwd=directory.parent,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        found = URL.search(line)
        if found:
            return RunningSandbox(process, found.group(1), directory)
    process.kill()
    _, errors = process.communicate(timeout=10)
    raise AssertionError(f"the sandbox did not start:\n{errors[-3000:]}")


def stop_sandbox(sandbox: RunningSandbox) -> str:
    """Stop the sandbox with SIGINT (Ctrl+C) and return what it wrote on stderr."""
    sandbox.process.send_signal(2)
    try:
        _, errors = sandbox.process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        sandbox.process.kill()
        _, errors = sandbox.process.communicate(timeout=10)
        raise AssertionError(f"the sandbox did not stop on Ctrl+C:\n{errors[-3000:]}") from None
    return errors


def daytime_clock(directory: Path, now: datetime | None = None) -> datetime:
    """Let the sandbox in `directory` start at the next Tuesday 11:00 in Enschede; return it.

    The sandbox runs on the real clock (moved forward by what was skipped before, kept in
    clock.json). Routing and quiet hours depend on the time (youth nuisance in the city
    centre goes to the night team on Friday and Saturday nights), so a test that follows a
    report through the groups starts at an ordinary weekday morning, whenever it runs.
    """
    now = now or datetime.now(UTC)
    local = now.astimezone(ENSCHEDE)
    days = (TUESDAY - local.weekday()) % 7 or 7
    start = datetime.combine(local.date() + timedelta(days=days), dt_time(11), ENSCHEDE)
    directory.mkdir(parents=True, exist_ok=True)
    skipped = (start - now).total_seconds()
    (directory / "clock.json").write_text(json.dumps({"skipped_seconds": skipped}), "utf-8")
    return start


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[RunningSandbox]:
    """A running sandbox in a fresh folder, its clock at a weekday morning."""
    daytime_clock(tmp_path / "sandbox")
    running = start_sandbox(tmp_path / "sandbox")
    try:
        yield running
    finally:
        if running.process.poll() is None:
            stop_sandbox(running)
