"""One Meldbot per database and per token; a full disk while running stops it in one line."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.failures import ExitCode
from sandbox.botapi import FakeBotApi, problems
from storage.database import Database
from tests.e2e.meldbot_process import (
    TOKEN,
    MeldbotProcess,
    finish,
    terminate,
    wait_for_line,
)

CONFLICT = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance "
    "is running"
)


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    """A fake Bot API that knows the test token."""
    fake = FakeBotApi(TOKEN)
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()
    assert not problems(fake), problems(fake)


async def test_a_second_meldbot_on_the_same_database_exits_at_once_naming_the_first(
    api: FakeBotApi, tmp_path: Path
) -> None:
    first = MeldbotProcess(tmp_path / "first", api.base_url, database=tmp_path / "meldbot.sqlite3")
    second = MeldbotProcess(tmp_path / "second", api.base_url, database=first.db_path)
    for process in (first, second):
        process.workdir.mkdir()
    running = await first.spawn()
    try:
        await wait_for_line(running, "Meldbot is polling")
        outcome = await second.run(timeout=15)
        assert [m for m, _ in api.requests if m == "getMe"] == ["getMe"], "only the first asked"
        assert outcome.code == ExitCode.ALREADY_RUNNING, outcome.err
        assert outcome.lines == [
            f"Meldbot cannot start: another Meldbot (pid {running.pid}) is running on the "
            f"database {first.db_path}. Stop that one first: one database serves one Meldbot."
        ]
        assert outcome.leaks() == []
        anna = api.user(3001, "Anna")
        api.send_text(anna, "/start")
        await api.wait_for_message(anna.id, contains="Welkom", timeout=20)
    finally:
        stopped = await terminate(running)
    assert stopped.code == ExitCode.OK, stopped.err
    assert stopped.leaks() == []


async def test_a_meldbot_killed_with_sigkill_does_not_block_the_next_start(
    api: FakeBotApi, tmp_path: Path
) -> None:
    process = MeldbotProcess(tmp_path, api.base_url)
    killed = await process.spawn()
    await wait_for_line(killed, "Meldbot is polling")
    killed.send_signal(signal.SIGKILL)
    await finish(killed)
    assert process.db_path.with_name("meldbot.sqlite3.lock").is_file()
    again = await process.spawn()
    try:
        await wait_for_line(again, "Meldbot is polling")
    finally:
        outcome = await terminate(again)
    assert outcome.code == ExitCode.OK, outcome.err


async def test_a_meldbot_that_meets_another_poller_of_its_token_stops_in_one_line(
    api: FakeBotApi, tmp_path: Path
) -> None:
    api.fail_next("getUpdates", status=409, description=CONFLICT, count=100)
    process = MeldbotProcess(tmp_path, api.base_url)
    outcome = await process.run(timeout=20)
    assert outcome.code == ExitCode.TOKEN_IN_USE, outcome.err
    assert outcome.lines[-1] == (
        "Meldbot stopped: another program is polling Telegram with this bot token "
        f"(409 {CONFLICT}). Stop the other Meldbot first: one bot token serves "
        "one Meldbot."
    )
    assert "Traceback" not in outcome.err
    assert outcome.leaks() == []
    assert process.db_path.is_file(), "a bot that had started keeps its database"


async def test_a_disk_that_fills_up_while_running_stops_the_bot_in_one_line(
    api: FakeBotApi, tmp_path: Path
) -> None:
    process = MeldbotProcess(tmp_path, api.base_url)
    process.db_path.parent.mkdir()
    async with await Database.open(process.db_path) as database, database.read() as session:
        pages = int(await session.fetch_value("PRAGMA page_count"))
        size = int(await session.fetch_value("PRAGMA page_size"))
    process.extra["MELDBOT_DB_MAX_MB"] = str(pages * size / 1024 / 1024)
    running = await process.spawn()
    try:
        await wait_for_line(running, "Meldbot is polling")
        for number in range(200):
            resident = api.user(5000 + number, "Resident")
            api.send_text(resident, "/melden")
            await asyncio.sleep(0.02)
            if running.returncode is not None:
                break
        outcome = await finish(running, timeout=20)
    finally:
        if running.returncode is None:
            await terminate(running)
    assert outcome.code == ExitCode.DISK_FULL, outcome.err
    assert outcome.lines[-1].startswith("Meldbot stopped: the disk is full"), outcome.err
    assert "Traceback" not in outcome.err
    assert outcome.leaks() == []


async def test_a_token_revoked_while_running_stops_the_bot_in_one_line(
    api: FakeBotApi, tmp_path: Path
) -> None:
    process = MeldbotProcess(tmp_path, api.base_url)
    running = await process.spawn()
    try:
        await wait_for_line(running, "Meldbot is polling")
        api.fail_next("getUpdates", status=401, description="Unauthorized", count=100)
        api.send_text(api.user(3001, "Anna"), "/start")  # ends the current long poll
        outcome = await finish(running, timeout=20)
    finally:
        if running.returncode is None:
            await terminate(running)
    assert outcome.code == ExitCode.TOKEN_REJECTED, outcome.err
    assert outcome.lines[-1].startswith(
        f"Meldbot stopped: Telegram rejected the bot token (Unauthorized from {api.base_url}"
        "<token>/getUpdates)"
    ), outcome.err
    assert "Traceback" not in outcome.err
    assert outcome.leaks() == []
