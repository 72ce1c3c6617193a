"""Updates are stored before Telegram hears they arrived and handled from the inbox in order per
chat: a failed one goes again before the rest of its chat unless its sender was told it failed,
and one that cannot be handled is parked instead of holding everything up."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from datetime import datetime, timedelta
from typing import Any

import pytest

from bot import intake
from sandbox.botapi import FakeUser
from storage import residents
from storage.database import Database
from storage.inbox import Inbox, InboxRow
from storage.timestamps import to_text
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


async def until_attempts(run: Harness, count: int, *, update: int = 0) -> None:
    """Wait until an inbox update (by place, oldest first) has failed count times."""
    for _ in range(100):
        with opened(run.db_path) as connection:
            rows = connection.execute("SELECT attempts FROM inbox ORDER BY update_id").fetchall()
        if rows and rows[update][0] >= count:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"the update did not fail {count} times")


async def until_finished(run: Harness, count: int) -> None:
    """Wait until count inbox updates are done."""
    for _ in range(100):
        if [state for _, state, _ in inbox_rows(run)].count("done") >= count:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"{count} update(s) were not finished")


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
    await harness.say(anna, "/melden", expect="Waarover gaat uw melding")
    await harness.tap_key(anna, "❓ Overig", expect="Waar is het")
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


async def test_a_failed_update_its_sender_was_told_about_is_not_handled_again_behind_them(
    meldbot: Harness,
) -> None:
    """The resident read "something went wrong, please try again": they retry themselves, so
    the bot handling the old update again later could act on it after what they did next."""
    api = meldbot.api
    anna = api.user(4104, "Anna")
    await execute(
        meldbot,
        "CREATE TRIGGER no_drafts_for_anna BEFORE INSERT ON drafts"
        f" WHEN NEW.user_id = {anna.id} BEGIN SELECT RAISE(ABORT, 'injected'); END",
    )
    first = await meldbot.say(anna, "/melden", expect="ging iets mis")
    assert "Waarover" not in first.text
    await until_finished(meldbot, 1)
    meldbot.clock.advance(timedelta(minutes=1))
    await execute(meldbot, "DROP TRIGGER no_drafts_for_anna")
    await meldbot.say(anna, "/melden", expect="Waarover gaat uw melding")
    await meldbot.stop()
    assert [m.text for m in api.messages(anna.id)].count(first.text) == 1
    with opened(meldbot.db_path) as connection:
        rows = connection.execute(
            "SELECT state, attempts, last_error FROM inbox ORDER BY update_id"
        ).fetchall()
    assert rows == [("done", 1, "IntegrityError"), ("done", 0, None)]


async def test_a_failed_update_nobody_heard_of_goes_again_before_the_next_one_of_its_chat(
    meldbot: Harness,
) -> None:
    """Telegram failed the answer and the failure notice of an update that stored nothing: it
    is tried again, and what the resident sent after it waits, so the answers come in order."""
    api = meldbot.api
    anna = api.user(4107, "Anna")
    await meldbot.say(anna, "/start")
    mark = len(api.messages(anna.id))
    api.fail_next("sendMessage", status=502, count=2, chat_id=anna.id)
    api.send_text(anna, "/privacy")
    await until_attempts(meldbot, 1, update=-1)
    api.send_text(anna, "/mijnmeldingen")
    for _ in range(100):
        if len(inbox_rows(meldbot)) >= 3:
            break
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.5)  # the intake looks at the inbox at least once meanwhile
    assert api.messages(anna.id)[mark:] == [], "the later update waits for the failed one"
    meldbot.clock.advance(timedelta(seconds=2))
    await api.wait_for_message(anna.id, contains="nog geen meldingen gedaan")
    await meldbot.stop()
    sent = [m.text for m in api.messages(anna.id)[mark:] if m.method == "sendMessage"]
    assert len(sent) == 2 and "nog geen meldingen gedaan" in sent[1], sent
    assert [state for _, state, _ in inbox_rows(meldbot)] == ["done", "done", "done"]


async def test_updates_queued_behind_each_other_go_on_without_the_periodic_look(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The inbox is read again only when something may have become due (an update stored, one
    of a chat with more waiting done): never waiting for the once-a-second look."""
    monkeypatch.setattr(intake, "_IDLE_CHECK", 3600.0)
    api = harness.api
    anna, bram = api.user(4111, "Anna"), api.user(4112, "Bram")
    await harness.start()
    await harness.say(anna, "/start")
    await harness.say(bram, "/start")
    await harness.stop()
    # Two of Anna's stored before a crash, handled after the restart one after the other ...
    inject(harness, typed(600_000_011, anna, "/melden"), "new")
    inject(harness, typed(600_000_012, anna, "/annuleren"), "new")
    await harness.start()
    # ... and three of Bram's sent at once while running.
    for text in ("/melden", "/annuleren", "/privacy"):
        api.send_text(bram, text)
    await until_finished(harness, 7)
    await harness.stop()
    assert [state for _, state, _ in inbox_rows(harness)] == ["done"] * 7


async def test_an_update_of_a_chat_waiting_on_nothing_starts_without_reading_the_inbox(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a resident sends while nothing else of their chat is open starts at once from
    what was just stored: the inbox is read again only for chats that may have more."""
    monkeypatch.setattr(intake, "_IDLE_CHECK", 3600.0)
    reads = 0
    real_due = Inbox.due

    async def counted(self: Inbox, now: datetime, limit: int = 200) -> list[InboxRow]:
        nonlocal reads
        reads += 1
        return await real_due(self, now, limit)

    monkeypatch.setattr(Inbox, "due", counted)
    api = harness.api
    anna = api.user(4114, "Anna")
    await harness.start()
    await harness.say(anna, "/start")
    after_start = reads
    await harness.say(anna, "/melden", expect="Waarover gaat uw melding")
    await harness.tap_key(anna, "❓ Overig", expect="Waar is het")
    await harness.say(anna, "/annuleren")
    assert reads == after_start, "no read of the inbox for a chat waiting on nothing"
    await until_finished(harness, 4)
    await harness.stop()


async def test_what_a_busy_chat_sent_meanwhile_starts_in_order_without_reading_the_inbox(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Updates a resident sends while their last one is being handled start one after the
    other as each ends, from what was stored: no read of the inbox (and no wait for the
    update before to be written done)."""
    monkeypatch.setattr(intake, "_IDLE_CHECK", 3600.0)
    reads = 0
    real_due = Inbox.due

    async def counted(self: Inbox, now: datetime, limit: int = 200) -> list[InboxRow]:
        nonlocal reads
        reads += 1
        return await real_due(self, now, limit)

    monkeypatch.setattr(Inbox, "due", counted)
    api = harness.api
    anna = api.user(4115, "Anna")
    await harness.start()
    await harness.say(anna, "/start")
    after_start = reads
    mark = len(api.messages(anna.id))
    for text in ("/melden", "/annuleren", "/mijnmeldingen"):
        api.send_text(anna, text)
    await api.wait_for_message(anna.id, contains="nog geen meldingen gedaan")
    assert reads == after_start, "no read of the inbox for what a busy chat sent meanwhile"
    await until_finished(harness, 4)
    await harness.stop()
    sent = [m.text for m in api.messages(anna.id)[mark:] if m.method == "sendMessage"]
    assert "Waarover gaat uw melding" in sent[0], sent
    assert "nog geen meldingen gedaan" in sent[-1], sent


async def test_a_residents_choices_and_draft_come_with_the_store_of_their_update(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An update that starts at once needs no read of its resident's language, opt-out and
    draft of its own: they were read in the same trip that stored it. One that waited behind
    another of its chat reads them (what was read with it may have changed meanwhile)."""
    reads: list[int] = []
    real_fetch_one = Database.fetch_one

    async def counted(self: Database, sql: str, params: Any = ()) -> Any:
        if sql == residents._CHOICES:
            reads.append(params[0])
        return await real_fetch_one(self, sql, params)

    monkeypatch.setattr(Database, "fetch_one", counted)
    api = harness.api
    anna = api.user(4116, "Anna")
    await harness.start()
    await harness.say(anna, "/start")
    reads.clear()
    await harness.say(anna, "/melden", expect="Waarover gaat uw melding")
    await harness.tap_key(anna, "❓ Overig", expect="Waar is het")
    assert reads == [], "read along with the store"
    api.delay("sendMessage", 0.5)  # the answer to /annuleren keeps the chat busy
    api.send_text(anna, "/annuleren")
    await asyncio.sleep(0.2)
    api.drain(anna.id)
    api.send_text(anna, "/melden")
    await api.wait_for_message(anna.id, contains="Waarover gaat uw melding")
    api.delay("sendMessage", 0)
    await harness.stop()
    assert reads == [anna.id], "only the update that waited read them itself"


async def test_a_chat_whose_update_waits_for_its_retry_at_start_keeps_its_order(
    harness: Harness,
) -> None:
    """An update that failed before a restart and waits for its next attempt still holds back
    what its chat sends after the restart: the answers come in the order they were asked."""
    api = harness.api
    anna = api.user(4113, "Anna")
    await harness.start()
    await harness.say(anna, "/start")
    await harness.stop()
    inject(harness, typed(600_000_021, anna, "/privacy"), "new")
    with opened(harness.db_path) as connection:
        connection.execute(
            "UPDATE inbox SET attempts = 1, next_try_at = ? WHERE update_id = 600000021",
            (to_text(harness.clock.now() + timedelta(seconds=30)),),
        )
    await harness.start()
    mark = len(api.messages(anna.id))
    api.send_text(anna, "/mijnmeldingen")
    for _ in range(100):
        if len(inbox_rows(harness)) >= 3:
            break
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.5)  # time enough to have answered it, had it not waited
    assert api.messages(anna.id)[mark:] == [], "the new update waits for the older one"
    harness.clock.advance(timedelta(seconds=31))
    await api.wait_for_message(anna.id, contains="nog geen meldingen gedaan")
    await harness.stop()
    sent = [m.text for m in api.messages(anna.id)[mark:] if m.method == "sendMessage"]
    assert len(sent) == 2 and "nog geen meldingen gedaan" in sent[1], sent
    assert "nog geen meldingen gedaan" not in sent[0]
