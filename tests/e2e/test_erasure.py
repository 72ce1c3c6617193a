"""/vergeetmij reaches the partner groups: their copies lose the description, pin and photos."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import pytest

from sandbox.botapi import FakeGroup, FakeUser, SentMessage
from tests.e2e.harness import Harness
from tests.e2e.steps.residents import DESCRIPTION, choose_category

POLICE, ENFORCEMENT, COORDINATOR = -1001, -1002, -1009
TWO_DAYS_AND_AN_HOUR = 49 * 3600


@dataclass
class Copies:
    """A report's notification in one partner group, with its pin and photos."""

    notification: SentMessage
    pin: SentMessage
    photos: list[SentMessage]

    @property
    def attachments(self) -> list[SentMessage]:
        return [self.pin, *self.photos]


@dataclass
class Groups:
    """A running Meldbot with the police (lead) and enforcement (informed) groups linked."""

    run: Harness
    police: FakeGroup
    enforcement: FakeGroup
    coordinator: FakeGroup
    cora: FakeUser

    async def report(self, resident: FakeUser, photos: int) -> str:
        """Report youth nuisance with a pin and photos; return the reference."""
        run, api = self.run, self.run.api
        await choose_category(run, resident, "🧑‍🤝‍🧑 Jongerenoverlast")
        api.send_location(resident, 52.2196, 6.8937)
        placed = await api.wait_for_message(resident.id, contains="Plek:")
        assert "Wat is er aan de hand" in placed.text
        await run.say(resident, DESCRIPTION, expect="Foto's")
        for number in range(1, photos + 1):
            api.send_photo(resident)
            received = await api.wait_for_message(resident.id, contains=f"Foto {number} van")
        timing = await run.tap(resident, received, "✅ Klaar", expect="Wanneer")
        contact = await run.tap(resident, timing, "Nu", expect="Mogen we contact")
        summary = await run.tap(resident, contact, "Nee, liever niet", expect="Controleer")
        done = await run.tap(resident, summary, "✅ Versturen", expect="Dank u wel")
        return done.text.split("nummer ")[1].split(".")[0]

    async def copies(self, group: FakeGroup, reference: str, photos: int) -> Copies:
        """Wait for the notification, the pin and the photos in a group."""
        api = self.run.api
        notification = await api.wait_for_message(group.id, contains=reference, timeout=10)
        pin = await api.wait_for_message(group.id, timeout=10)
        album = [await api.wait_for_message(group.id, timeout=10) for _ in range(photos)]
        assert pin.kind == "location" and [m.kind for m in album] == ["photo"] * photos
        return Copies(notification, pin, album)

    async def forget(self, resident: FakeUser) -> None:
        """Let the resident erase their data."""
        prompt = await self.run.say(resident, "/vergeetmij", expect="Wilt u al uw gegevens")
        assert "verwijderd of leeggemaakt" in prompt.text
        done = await self.run.tap(resident, prompt, "Ja, wis mijn gegevens", expect="zijn gewist")
        assert "chats van partners" in done.text

    async def erasure_rows(self) -> list[dict[str, Any]]:
        """Return the outbox rows the erasure queued."""
        assert self.run.bot is not None
        async with self.run.bot.database.read() as session:
            rows = await session.fetch_all(
                "SELECT chat_id, method, params, status, last_error FROM outbox"
                " WHERE kind GLOB 'erasure.*' ORDER BY id"
            )
        return [dict(row) for row in rows]

    async def settled(self) -> list[dict[str, Any]]:
        """Wait until every erasure row was sent or failed; return them."""
        for _ in range(200):
            rows = await self.erasure_rows()
            if rows and all(row["status"] in ("sent", "failed") for row in rows):
                return rows
            await asyncio.sleep(0.05)
        raise AssertionError(f"the erasure rows did not settle: {await self.erasure_rows()}")


@pytest.fixture
async def groups(harness: Harness) -> AsyncIterator[Groups]:
    """Start Meldbot with the police, enforcement and coordinator groups linked."""
    harness.overrides = (
        f"[partners.politie]\nchat_id = {POLICE}\n"
        f"[partners.handhaving]\nchat_id = {ENFORCEMENT}\n"
        f"[partners.coordinator]\nchat_id = {COORDINATOR}\n"
    )
    api = harness.api
    police = api.group(POLICE, "Wijkagenten Enschede")
    enforcement = api.group(ENFORCEMENT, "Handhaving Enschede")
    coordinator = api.group(COORDINATOR, "Coördinatie veiligheid")
    cora = api.user(509, "Cora")
    api.add_bot_to_group(api.user(501, "Kees"), police)
    api.add_bot_to_group(api.user(511, "Bas"), enforcement)
    api.add_bot_to_group(cora, coordinator)
    await harness.start()
    yield Groups(harness, police, enforcement, coordinator, cora)


def shows_nothing_personal(message: dict[str, Any] | None, reference: str) -> bool:
    """Return whether a notification as the group sees it now holds no description or place."""
    assert message is not None, "the notification is gone"
    text = str(message.get("text", ""))
    return reference in text and DESCRIPTION not in text and "City" not in text


async def test_a_residents_erasure_deletes_the_pin_photo_and_informed_copy_in_partner_groups(
    groups: Groups,
) -> None:
    api = groups.run.api
    anna = api.user(1301, "Anna")
    reference = await groups.report(anna, photos=1)
    lead = await groups.copies(groups.police, reference, photos=1)
    info = await groups.copies(groups.enforcement, reference, photos=1)
    assert DESCRIPTION in lead.notification.text and "City" in lead.notification.text
    api.send_command(groups.cora, f"/melding {reference}", groups.coordinator)
    details = await api.wait_for_message(COORDINATOR, contains=DESCRIPTION)

    await groups.forget(anna)
    rows = await groups.settled()

    assert all(row["status"] == "sent" for row in rows), rows
    for message in [*lead.attachments, *info.attachments, info.notification, details]:
        assert api.current(message.chat_id, message.message_id) is None
        assert (message.chat_id, message.message_id) in api.world.deleted
    emptied = api.current(POLICE, lead.notification.message_id)
    assert shows_nothing_personal(emptied, reference)
    assert emptied is not None and "gewist" in emptied["text"]
    labels = [b["text"] for row in emptied["reply_markup"]["inline_keyboard"] for b in row]
    assert "🙋 Oppakken" in labels, "the open report can still be handled"
    edits = [m for m in api.messages(ENFORCEMENT) if m.edited]
    assert edits and shows_nothing_personal(edits[0].message, reference), "emptied first"


async def test_copies_older_than_48_hours_are_emptied_and_refused_deletions_recorded(
    groups: Groups,
) -> None:
    api = groups.run.api
    bert = api.user(1302, "Bert")
    reference = await groups.report(bert, photos=2)
    lead = await groups.copies(groups.police, reference, photos=2)
    info = await groups.copies(groups.enforcement, reference, photos=2)
    later: Callable[[], float] = lambda: time.time() + TWO_DAYS_AND_AN_HOUR  # noqa: E731
    api.world.clock = later
    api.expect_refusal("message can't be deleted")

    await groups.forget(bert)
    rows = await groups.settled()

    deletions = [row for row in rows if row["method"] == "deleteMessage"]
    assert len(deletions) == 3 + 4, "pin and two photos in each group, and the informed copy"
    assert all(row["status"] == "failed" for row in deletions)
    assert all("can't be deleted" in row["last_error"] for row in deletions)
    assert all(row["status"] == "sent" for row in rows if row["method"] == "editMessageText")
    for copies in (lead, info):
        notification = copies.notification
        current = api.current(notification.chat_id, notification.message_id)
        assert shows_nothing_personal(current, reference)
        for message in copies.attachments:
            assert api.current(message.chat_id, message.message_id) is not None, "Telegram kept it"
