"""A resident's steps through a report in the private chat with the bot."""

from __future__ import annotations

from sandbox.botapi import FakeUser, SentMessage
from tests.e2e.harness import Harness

DESCRIPTION = "Elke avond hangen jongeren rond bij het bankje en gooien ze flessen kapot."


async def start_report(run: Harness, user: FakeUser) -> SentMessage:
    """Send /melden and return the category question."""
    return await run.say(user, "/melden", expect="Waarover gaat uw melding")


async def choose_category(run: Harness, user: FakeUser, label: str = "❓ Overig") -> None:
    """Start a report and pick a category; the location question follows."""
    await start_report(run, user)
    await run.tap_key(user, label, expect="Waar is het")


async def finish_after_location(run: Harness, user: FakeUser) -> SentMessage:
    """Answer description, photos, timing and contact; return the summary."""
    api = run.api
    await description_asked(run, user)
    question = await run.say(user, DESCRIPTION, expect="Foto's")
    await run.tap(user, question, "Geen foto's", expect="Wanneer speelt het")
    timing = api.messages(user.id)[-1]
    await run.tap(user, timing, "Het komt steeds terug", expect="Mogen we contact")
    contact = api.messages(user.id)[-1]
    return await run.tap(user, contact, "Nee, liever niet", expect="Controleer uw melding")


async def description_asked(run: Harness, user: FakeUser) -> None:
    """Wait until the description is asked; it often came with the place ("Plek: ...")."""
    chat = run.api.messages(user.id)
    if not chat or "Wat is er aan de hand" not in chat[-1].text:
        await run.api.wait_for_message(user.id, contains="Wat is er aan de hand")


async def send_and_check(run: Harness, user: FakeUser) -> str:
    """Finish the report after the location and return its reference."""
    summary = await finish_after_location(run, user)
    confirmed = await run.tap(user, summary, "✅ Versturen", expect="Dank u wel")
    reference = confirmed.text.split("nummer ")[1].split(".")[0]
    return reference
