"""A resident reports a nuisance end to end, through the real bot and the fake Bot API."""

from __future__ import annotations

from tests.e2e.harness import Harness
from tests.fakes.telegram import FakeUser, SentMessage

DESCRIPTION = "Elke avond hangen jongeren rond bij het bankje en gooien ze flessen kapot."


async def start_report(run: Harness, user: FakeUser) -> SentMessage:
    """Send /melden and return the category question."""
    return await run.say(user, "/melden", expect="Waarover gaat uw melding")


async def finish_after_location(run: Harness, user: FakeUser) -> SentMessage:
    """Answer description, photos, timing and contact; return the summary."""
    api = run.api
    await api.wait_for_message(user.id, contains="Wat is er aan de hand")
    question = await run.say(user, DESCRIPTION, expect="Foto's")
    await run.tap(user, question, "Geen foto's", expect="Wanneer speelt het")
    timing = api.messages(user.id)[-1]
    await run.tap(user, timing, "Het komt steeds terug", expect="Mogen we contact")
    contact = api.messages(user.id)[-1]
    return await run.tap(user, contact, "Nee, liever niet", expect="Controleer uw melding")


async def test_a_resident_reports_youth_nuisance_with_a_pin_and_gets_a_reference(
    meldbot: Harness,
) -> None:
    api = meldbot.api
    anna = api.user(1001, "Anna")
    categories = await start_report(meldbot, anna)
    await meldbot.tap(anna, categories, "🧑‍🤝‍🧑 Jongerenoverlast", expect="Waar is het")
    api.send_location(anna, 52.2196, 6.8937)
    placed = await api.wait_for_message(anna.id, contains="Plek:")
    assert "City" in placed.text
    summary = await finish_after_location(meldbot, anna)
    assert "Jongerenoverlast" in summary.text and DESCRIPTION in summary.text
    confirmed = await meldbot.tap(anna, summary, "✅ Versturen", expect="ENS-2026-0001")
    assert "Dank u wel" in confirmed.text
    assert meldbot.bot is not None
    stored = await meldbot.bot.services.reports.get_by_reference("ENS-2026-0001")
    assert stored is not None
    assert stored.location.neighbourhood.buurt_code == "BU01530000"
    assert stored.location.neighbourhood.wijk_code == "WK015300"
    assert stored.location.latitude == 52.2196
    assert stored.category_id == "jongerenoverlast"
    assert stored.contact_allowed is False
    assert stored.user_id == anna.id
