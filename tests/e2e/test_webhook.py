"""Webhook mode: Telegram's posts are answered 200 only after the update is stored, and only
posts carrying the secret token are taken."""

from __future__ import annotations

import asyncio
import socket
import sqlite3

import aiohttp

from tests.e2e.harness import Harness
from tests.sqlite import opened

SECRET = "webhook-secret-0123456789_abc"


def free_port() -> int:
    """Return a loopback port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def webhook_mode(run: Harness) -> str:
    """Configure webhook mode on a free port; return the URL the bot listens on (plain http)."""
    port = free_port()
    run.settings = {
        "MELDBOT_WEBHOOK_URL": f"https://127.0.0.1:{port}/telegram/updates",
        "MELDBOT_WEBHOOK_SECRET": SECRET,
        "MELDBOT_WEBHOOK_LISTEN": f"127.0.0.1:{port}",
    }
    return f"http://127.0.0.1:{port}/telegram/updates"


def stored(run: Harness) -> dict[int, str]:
    """Return the state of every update in the inbox."""
    with opened(run.db_path) as connection:
        return dict(connection.execute("SELECT update_id, state FROM inbox").fetchall())


async def test_updates_posted_by_telegram_are_handled(harness: Harness) -> None:
    webhook_mode(harness)
    await harness.start()
    api = harness.api
    anna = api.user(4201, "Anna")
    await harness.say(anna, "/melden", expect="Waarover gaat uw melding")
    assert api.world.webhook_secret == SECRET
    assert not [method for method, _ in api.requests if method == "getUpdates"]
    await harness.stop()
    (update_id, status), *_ = api.webhook.answers
    assert status == 200
    assert stored(harness) == {update_id: "done"}


async def test_a_post_without_the_secret_is_refused_and_stores_nothing(harness: Harness) -> None:
    url = webhook_mode(harness)
    await harness.start()
    forged = {
        "update_id": 1,
        "message": {
            "message_id": 1,
            "date": 0,
            "chat": {"id": 4202, "type": "private"},
            "from": {"id": 4202, "is_bot": False, "first_name": "Mallory"},
            "text": "/melden",
        },
    }
    async with aiohttp.ClientSession() as client:
        for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "guessed-0123456789abcdef"}):
            async with client.post(url, json=forged, headers=headers) as response:
                assert response.status == 403
        async with client.get(url) as response:
            assert response.status in (403, 405)
    await harness.stop()
    assert stored(harness) == {}
    assert not harness.api.messages(4202)


async def test_telegram_hears_200_only_once_the_update_is_stored(harness: Harness) -> None:
    webhook_mode(harness)
    await harness.start()
    api = harness.api
    anna = api.user(4203, "Anna")
    await harness.say(anna, "/start")
    blocker = sqlite3.connect(harness.db_path, isolation_level=None, check_same_thread=False)
    # Another writer holds the database for a moment (taken in a thread: the bot's loop must
    # be free to finish a transaction of its own first).
    await asyncio.to_thread(blocker.execute, "BEGIN IMMEDIATE")
    try:
        api.send_text(anna, "/melden")
        update = api.world.updates.pending[-1]
        await asyncio.sleep(1.5)
        answered = [status for uid, status in api.webhook.answers if uid == update["update_id"]]
        assert 200 not in answered
        assert update in api.world.updates.pending, "Telegram still holds it"
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    await api.wait_for_message(anna.id, contains="Waarover gaat uw melding", timeout=10)
    assert update not in api.world.updates.pending
    await harness.stop()
    assert stored(harness)[update["update_id"]] == "done"
