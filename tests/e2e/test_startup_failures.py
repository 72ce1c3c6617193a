"""A start that cannot work ends in one plain line, its own exit code, no token, no stray file."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.failures import ExitCode
from sandbox.botapi import FakeBotApi, problems
from tests.e2e.meldbot_process import TOKEN, MeldbotProcess, Outcome, closed_port
from tests.sqlite import opened


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


def assert_refused(outcome: Outcome, code: ExitCode, *needles: str) -> str:
    """Assert one line on stderr, the exit code, no traceback and no token; return the line."""
    assert outcome.code == code, outcome.err
    assert len(outcome.lines) == 1, outcome.err
    line = outcome.lines[0]
    assert line.startswith("Meldbot cannot start: "), line
    for needle in needles:
        assert needle in line, line
    assert "Traceback" not in outcome.err
    assert outcome.out == ""
    assert outcome.leaks() == []
    return line


def assert_nothing_left(process: MeldbotProcess) -> None:
    """Assert that the failed start left no database, lock file or folder behind."""
    assert not process.db_path.parent.exists(), list(process.db_path.parent.iterdir())


async def test_a_token_telegram_rejects_with_401_stops_the_start(
    api: FakeBotApi, tmp_path: Path
) -> None:
    other = "654321:AAE-another-secret-that-telegram-does-not-know"
    process = MeldbotProcess(tmp_path, api.base_url, token=other)
    outcome = await process.run()
    line = assert_refused(outcome, ExitCode.TOKEN_REJECTED, "rejected the bot token")
    assert "Unauthorized" in line
    assert f"{api.base_url}<token>/getMe" in line
    assert outcome.leaks(other, other.split(":")[1]) == []
    assert_nothing_left(process)


async def test_a_token_telegram_answers_404_for_stops_the_start(
    api: FakeBotApi, tmp_path: Path
) -> None:
    api.fail_next("getMe", status=404, description="Not Found")
    process = MeldbotProcess(tmp_path, api.base_url)
    outcome = await process.run()
    assert_refused(outcome, ExitCode.TOKEN_REJECTED, "rejected the bot token (Not Found")
    assert_nothing_left(process)


async def test_an_unreachable_bot_api_is_named_with_the_url_tried(tmp_path: Path) -> None:
    base_url = f"http://127.0.0.1:{closed_port()}/bot"
    process = MeldbotProcess(tmp_path, base_url)
    outcome = await process.run()
    assert_refused(
        outcome, ExitCode.UNREACHABLE, "cannot reach the Telegram Bot API", f"{base_url}<token>"
    )
    assert_nothing_left(process)


@pytest.mark.parametrize(
    "base_url",
    [
        "http://127.0.0.1:8081/bot/",
        "api.telegram.org/bot",
        "https://api.telegram.org/",
        "http://h:99999/bot",
    ],
)
async def test_a_malformed_base_url_stops_before_anything_is_created(
    tmp_path: Path, base_url: str
) -> None:
    process = MeldbotProcess(tmp_path, base_url)
    outcome = await process.run()
    assert_refused(outcome, ExitCode.BASE_URL, "TELEGRAM_API_BASE_URL", "is malformed")
    assert_nothing_left(process)


async def test_a_base_url_that_leads_to_no_bot_api_is_named(
    api: FakeBotApi, tmp_path: Path
) -> None:
    wrong = api.base_url.replace("/bot", "/telegram/bot")
    process = MeldbotProcess(tmp_path, wrong)
    outcome = await process.run()
    assert_refused(outcome, ExitCode.BASE_URL, "does not lead to a Bot API", "HTTP 404")
    assert_nothing_left(process)


async def test_a_database_folder_that_cannot_be_written_is_named(
    api: FakeBotApi, tmp_path: Path
) -> None:
    # Root may write anywhere, but nobody can create a folder inside a regular file.
    (tmp_path / "not-a-folder").write_text("a file\n", encoding="utf-8")
    database = tmp_path / "not-a-folder" / "data" / "meldbot.sqlite3"
    process = MeldbotProcess(tmp_path, api.base_url, database=database)
    outcome = await process.run()
    assert_refused(
        outcome, ExitCode.DATABASE_UNWRITABLE, f"folder {database.parent} ", "Not a directory"
    )
    assert (tmp_path / "not-a-folder").read_text(encoding="utf-8") == "a file\n"
    assert api.requests == []


async def test_a_full_disk_stops_the_start_and_leaves_no_database_behind(
    api: FakeBotApi, tmp_path: Path
) -> None:
    process = MeldbotProcess(tmp_path, api.base_url, extra={"MELDBOT_DB_MAX_MB": "0.02"})
    outcome = await process.run()
    assert_refused(outcome, ExitCode.DISK_FULL, "the disk is full", str(process.db_path))
    assert_nothing_left(process)


async def test_a_database_from_a_newer_meldbot_is_refused_and_kept(
    api: FakeBotApi, tmp_path: Path
) -> None:
    process = MeldbotProcess(tmp_path, api.base_url)
    process.db_path.parent.mkdir()
    with opened(process.db_path) as connection:
        connection.execute("PRAGMA user_version = 9999")
    connection.close()
    outcome = await process.run()
    assert_refused(outcome, ExitCode.DATABASE_TOO_NEW, "newer Meldbot", "schema version 9999")
    assert process.db_path.is_file()
    assert api.requests == []


async def test_a_malformed_token_is_a_configuration_error_that_never_shows_it(
    tmp_path: Path,
) -> None:
    malformed = "not-a-token:AAE secret with spaces 0123456789"
    process = MeldbotProcess(tmp_path, "http://127.0.0.1:9/bot", token=malformed)
    outcome = await process.run()
    assert outcome.code == ExitCode.CONFIGURATION, outcome.err
    assert "TELEGRAM_BOT_TOKEN" in outcome.err
    assert outcome.leaks(malformed, "AAE secret with spaces") == []
    assert "Traceback" not in outcome.err


async def test_check_config_never_prints_the_token(tmp_path: Path) -> None:
    process = MeldbotProcess(tmp_path, "http://127.0.0.1:9/bot")
    outcome = await process.run("check-config")
    assert outcome.code == ExitCode.OK, outcome.err
    assert '"123456:***"' in outcome.out
    assert outcome.leaks() == []


async def test_debug_shows_the_traceback_with_the_token_masked(
    api: FakeBotApi, tmp_path: Path
) -> None:
    api.fail_next("getMe", status=401, description="Unauthorized")
    process = MeldbotProcess(tmp_path, api.base_url)
    outcome = await process.run("--debug")
    assert outcome.code == ExitCode.TOKEN_REJECTED, outcome.err
    assert "Traceback" in outcome.err
    assert "InvalidToken: The token `<token>` was rejected" in outcome.err
    assert outcome.lines[-1].startswith("Meldbot cannot start: Telegram rejected the bot token")
    assert outcome.leaks() == []
