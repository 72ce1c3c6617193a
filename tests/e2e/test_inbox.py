"""Updates are stored before Telegram hears they arrived, handled from the inbox, and parked
when they cannot be handled, without holding up the ones behind them."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from datetime import timedelta
from typing import Any

import pytest

from sandbox.botapi import FakeUser
from tests.e2e.harness import Harness
from tests.sqlite import opened

SECRET_TEXT = "Mijn nummer is 0612345678"


def inbox_rows(run: Harness) -> list[tuple[int, str, str | None]]:
    """Return (update_id, state, body) of every inbox row, read as a second program would."""
    with opened(run.db_path) as connection:
        return list(
            connection.execute("SELECT update_id, state, body FROM inbox ORDER BY update_id")
        )


async def execute(run: Harness, sql: str) -> None:
    """Run SQL as a second program would, in a thread: the bot's loop must go on meanwhile
    (it may be in the middle of a write transaction of its own)."""

    def write() -> None:
        with opened(run.db_path, timeout=10) as connection:
            connection.execute(sql)

    await asyncio.to_thread(write)


async def until_attempts(run: Harness, count: int) -> None:
    """Wait until the first inbox update has failed count times (the failure is recorded)."""
    for _ in range(100):
        with opened(run.db_path) as connection:
            row = connection.execute("SELECT attempts FROM inbox ORDER BY update_id").fetchone()
        if row is not None and row[0] >= count:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"the update did not fail {count} times")


async def test_every_acknowledged_update_is_in_the_inbox_and_done(meldbot: Harness) -> None:
    api = meldbot.api
    anna = api.user(4101, "Anna")
    await meldbot.say(anna, "/melden", expect="Waarover gaat uw melding")
    await meldbot.say(anna, "/annuleren")
    await meldbot.stop()
    rows = inbox_rows(meldbot)
    assert set(api.world.updates.confirmed) <= {row[0] for row in rows}
    assert [(state, body) for _, state, body in rows] == [("done", None)] * len(rows)
    assert len(rows) == 2


def typed(update_id: int, user: FakeUser, text: str) -> dict[str, Any]:
    """Return a private text message update from user, as Telegram sends it."""
    entities = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id % 1000,
            "date": int(time.time()),
            "chat": {"id": user.id, "type": "private", "first_name": user.first_name},
            "from": {"id": user.id, "is_bot": False, "first_name": user.first_name},
            "text": text,
            **({"entities": entities} if text.startswith("/") else {}),
        },
    }


def inject(run: Harness, update: dict[str, Any], state: str) -> None:
    """Leave an update in the inbox as a crash would: stored, acknowledged, not done."""
    with opened(run.db_path) as connection:
        connection.execute(
            "INSERT INTO inbox (update_id, body, chat_id, state, received_at)"
            " VALUES (?, ?, ?, ?, '2026-11-28T10:00:00+00:00')",
            (update["update_id"], json.dumps(update), update["message"]["chat"]["id"], state),
        )


async def test_an_applied_update_is_answered_again_not_applied_twice(harness: Harness) -> None:
    """The address was stored as the place, then the process died before asking further.

    Handling it again as new would take the address as the description; it is answered from
    the stored draft instead.
    """
    api = harness.api
    anna, bram = api.user(4105, "Anna"), api.user(4106, "Bram")
    await harness.start()
    await harness.say(bram, "/start")
    categories = await harness.say(anna, "/melden", expect="Waarover gaat uw melding")
    await harness.tap(anna, categories, "❓ Overig", expect="Waar is het")
    await harness.say(anna, "Oude Markt 1", expect="Wat is er aan de hand")
    await harness.stop()
    inject(harness, typed(600_000_002, anna, "Oude Markt 1"), "applied")
    inject(harness, typed(600_000_003, bram, "/stop"), "applied")
    await harness.start()
    await api.wait_for_message(anna.id, contains="we gaan verder waar u was")
    await api.wait_for_message(anna.id, contains="Wat is er aan de hand")
    await api.wait_for_message(bram.id, contains="Uw bericht is verwerkt")
    await harness.stop()
    with opened(harness.db_path) as connection:
        (draft,) = connection.execute(
            "SELECT data FROM drafts WHERE user_id = ?", (anna.id,)
        ).fetchone()
    assert "Oude Markt 1" not in str(json.loads(draft).get("description"))
    states = {update_id: state for update_id, state, _ in inbox_rows(harness)}
    assert states[600_000_002] == states[600_000_003] == "done"


async def test_an_update_stored_before_a_crash_is_handled_after_the_restart(
    harness: Harness,
) -> None:
    """The update was stored and acknowledged, then the process died before handling it."""
    api = harness.api
    anna = api.user(4102, "Anna")
    await harness.start()
    await harness.say(anna, "/start")
    await harness.stop()
    update = {
        "update_id": 600_000_001,
        "message": {
            "message_id": 1,
            "date": api.world.now(),
            "chat": {"id": anna.id, "type": "private", "first_name": "Anna"},
            "from": {"id": anna.id, "is_bot": False, "first_name": "Anna"},
            "text": "/melden",
            "entities": [{"type": "bot_command", "offset": 0, "length": 7}],
        },
    }
    with opened(harness.db_path) as connection:
        connection.execute(
            "INSERT INTO inbox (update_id, body, chat_id, received_at)"
            " VALUES (?, ?, ?, '2026-11-28T10:00:00+00:00')",
            (update["update_id"], json.dumps(update), anna.id),
        )
    await harness.start()
    await api.wait_for_message(anna.id, contains="Waarover gaat uw melding")
    await harness.stop()
    assert (600_000_001, "done", None) in inbox_rows(harness)


async def test_an_unreadable_update_is_parked_without_its_content_and_blocks_nobody(
    meldbot: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    api = meldbot.api
    anna = api.user(4103, "Anna")
    caplog.set_level(logging.DEBUG, logger="bot")
    # A message whose chat has no type: python-telegram-bot cannot build an Update from it.
    broken = {
        "message_id": 5,
        "date": api.world.now(),
        "chat": {"id": anna.id},
        "text": SECRET_TEXT,
    }
    bad = api.world.updates.push_unreadable("message", broken)
    await meldbot.say(anna, "/melden", expect="Waarover gaat uw melding")
    polls = sum(1 for method, _ in api.requests if method == "getUpdates")
    await meldbot.stop()
    states = {update_id: state for update_id, state, _ in inbox_rows(meldbot)}
    assert states[bad["update_id"]] == "parked"
    assert polls < 10, "the batch with the bad update was not fetched over and over"
    assert bad["update_id"] in api.world.updates.confirmed
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert f"update {bad['update_id']} cannot be read" in logged
    assert "0612345678" not in logged


async def test_an_update_whose_handler_keeps_failing_is_parked_and_the_chat_goes_on(
    meldbot: Harness,
) -> None:
    api = meldbot.api
    anna = api.user(4104, "Anna")
    await execute(
        meldbot,
        "CREATE TRIGGER no_drafts_for_anna BEFORE INSERT ON drafts"
        f" WHEN NEW.user_id = {anna.id} BEGIN SELECT RAISE(ABORT, 'injected'); END",
    )
    first = await meldbot.say(anna, "/melden", expect="ging iets mis")
    assert "Waarover" not in first.text
    for attempts, wait in ((1, 3), (2, 11)):  # attempts 2 and 3 come 2 and 10 s after a failure
        await until_attempts(meldbot, attempts)
        api.drain(anna.id)
        meldbot.clock.advance(timedelta(seconds=wait))
        await api.wait_for_message(anna.id, contains="ging iets mis")
    await until_attempts(meldbot, 3)
    await execute(meldbot, "DROP TRIGGER no_drafts_for_anna")
    await meldbot.say(anna, "/melden", expect="Waarover gaat uw melding")
    meldbot.clock.advance(timedelta(minutes=5))
    await meldbot.stop()
    states = [state for _, state, _ in inbox_rows(meldbot)]
    assert states == ["parked", "done"]
