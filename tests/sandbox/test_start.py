"""`meldbot sandbox` as a newcomer meets it: it starts without a token, and refuses clearly when
the port is taken, when it already runs, or when pointed at a real database."""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Any

from tests.sandbox.conftest import RunningSandbox, meldbot_command, start_sandbox, stop_sandbox


def run_sandbox(directory: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """Run `meldbot sandbox` expecting it to refuse and exit."""
    return subprocess.run(
        [*meldbot_command(), "sandbox", "--no-browser", "--dir", str(directory), *extra],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=directory.parent,
    )


def state(sandbox: RunningSandbox) -> dict[str, Any]:
    with urllib.request.urlopen(f"{sandbox.url}/api/state", timeout=10) as answer:
        return dict(json.loads(answer.read()))


def test_it_starts_without_a_token_on_loopback_and_stops_on_ctrl_c(
    sandbox: RunningSandbox,
) -> None:
    assert sandbox.url.startswith("http://127.0.0.1:")
    shown = state(sandbox)
    assert [r["name"] for r in shown["residents"]] == ["Anna", "Ben"]
    teams = [t["key"] for t in shown["teams"]]
    assert teams[0] == "politie" and "coordinator" in teams and len(teams) == 10
    with urllib.request.urlopen(f"{sandbox.url}/map.svg", timeout=10) as answer:
        assert b'data-name="Boddenkamp"' in answer.read()
    errors = stop_sandbox(sandbox)
    assert sandbox.process.returncode == 0, errors
    assert "Traceback" not in errors
    database = sqlite3.connect(sandbox.directory / "meldbot.sqlite3")
    assert database.execute("PRAGMA application_id").fetchone()[0] != 0
    database.close()


def test_a_port_in_use_is_named_with_the_option_to_pick_another(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        refused = run_sandbox(tmp_path / "sandbox", "--port", str(port))
    assert refused.returncode == 11, refused.stderr
    assert f"port {port} on 127.0.0.1 is in use" in refused.stderr
    assert f"meldbot sandbox --port {port + 1}" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert refused.stderr.count("\n") == 1


def test_a_second_sandbox_on_the_same_folder_is_refused(sandbox: RunningSandbox) -> None:
    refused = run_sandbox(sandbox.directory, "--port", "0")
    assert refused.returncode == 3, refused.stderr
    assert "a sandbox is already running on" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert sandbox.process.poll() is None  # the first one runs on
    assert state(sandbox)["residents"]


def test_a_database_with_real_reports_is_refused_and_left_alone(tmp_path: Path) -> None:
    directory = tmp_path / "sandbox"
    directory.mkdir()
    database = directory / "meldbot.sqlite3"
    real = sqlite3.connect(database)
    real.execute("CREATE TABLE reports (id INTEGER PRIMARY KEY, reference TEXT)")
    real.execute("INSERT INTO reports (reference) VALUES ('ENS-2026-0001')")
    real.commit()
    real.close()
    before = database.read_bytes()
    for extra in ((), ("--reset",)):
        refused = run_sandbox(directory, "--port", "0", *extra)
        assert refused.returncode == 12, refused.stderr
        assert "holds 1 reports that were not made in a sandbox" in refused.stderr
        assert database.read_bytes() == before


def test_reset_starts_from_an_empty_sandbox_database(tmp_path: Path) -> None:
    directory = tmp_path / "sandbox"
    first = start_sandbox(directory)
    request = urllib.request.Request(
        f"{first.url}/api/clock", data=b'{"skip": "week"}', method="POST"
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        skipped = json.loads(answer.read())["now"]
    stop_sandbox(first)
    again = start_sandbox(directory)
    try:
        assert str(state(again)["now"]) >= skipped  # the skipped week is kept
    finally:
        stop_sandbox(again)
    fresh = start_sandbox(directory, "--reset")
    try:
        assert str(state(fresh)["now"]) < skipped
    finally:
        stop_sandbox(fresh)


def say(sandbox: RunningSandbox, text: str) -> None:
    body = json.dumps({"user": 10_001, "text": text}).encode()
    request = urllib.request.Request(f"{sandbox.url}/api/message", data=body, method="POST")
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert answer.status == 200


def bot_lines(sandbox: RunningSandbox, count: int) -> list[str]:
    """Wait until Anna's chat holds `count` messages from the bot; return all their texts."""
    deadline = time.monotonic() + 15
    while True:
        messages = state(sandbox)["residents"][0]["messages"]
        lines = [m["html"] for m in messages if m["by_bot"]]
        if len(lines) >= count or time.monotonic() > deadline:
            return lines
        time.sleep(0.2)


def test_chats_and_the_bot_go_on_after_a_restart(tmp_path: Path) -> None:
    directory = tmp_path / "sandbox"
    first = start_sandbox(directory)
    say(first, "/start")
    assert len(bot_lines(first, 1)) == 1
    stop_sandbox(first)
    again = start_sandbox(directory)
    try:
        say(again, "/start")
        lines = bot_lines(again, 2)
        assert len(lines) == 2 and all("Welkom" in line for line in lines)
    finally:
        stop_sandbox(again)
