"""The command a newcomer runs starts the bot, answers a resident and stops cleanly."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from sandbox.botapi import FakeBotApi


async def test_python_m_bot_polls_answers_start_and_stops_on_sigterm(
    bot_api: FakeBotApi, tmp_path: Path
) -> None:
    override = tmp_path / "meldbot.toml"
    override.write_text('[geocoder]\nprovider = "none"\n', encoding="utf-8")
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": bot_api.token,
        "TELEGRAM_API_BASE_URL": bot_api.base_url,
        "MELDBOT_DB": str(tmp_path / "db" / "meldbot.sqlite3"),
        "MELDBOT_CONFIG": str(override),
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        anna = bot_api.user(3001, "Anna")
        bot_api.send_text(anna, "/start")
        welcome = await bot_api.wait_for_message(anna.id, contains="Welkom", timeout=20)
        assert "112" in welcome.text
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=20)
    assert process.returncode == 0, stderr.decode()
    log = stderr.decode()
    assert "Meldbot is polling" in log
    assert bot_api.token not in log
    assert (tmp_path / "db" / "meldbot.sqlite3").is_file()
