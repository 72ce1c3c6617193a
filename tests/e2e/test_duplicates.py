"""Duplicate hints: a resident reporting what is already reported nearby can follow that
report instead (a co-reporter), through the validating Bot API."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from sandbox.botapi import FakeUser, SentMessage
from tests.e2e.harness import START
from tests.e2e.steps.chain import Chain, running
from tests.e2e.steps.clock import move_to
from tests.e2e.steps.residents import choose_category, description_asked

CARDS = "Al gemeld?"
QUESTION = "Speelt het nog?"
SURVEY = "Hoe vond u de afhandeling?"
SAME = "✅ Dit is het: nr. 1"
OTHER = "➡️ Nee, iets anders"
OUDE_MARKT = (52.220288, 6.893882)
NEARBY = (52.2210, 6.8945)  # about 90 m away
FAR = (52.2240, 6.8990)  # about 570 m away


@pytest.fixture
async def dup(chain: Chain) -> Chain:
    """The chain with duplicate hints on (the harness turns them off for other tests)."""
    chain.run.duplicates = True
    await chain.run.restart()
    return chain


async def up_to_place(
    chain: Chain, user: FakeUser, place: str | tuple[float, float]
) -> SentMessage:
    """Start a youth-nuisance report and give its place, typed or as a pin; return the
    message that says which place was taken."""
    run = chain.run
    await choose_category(run, user, "🧑‍🤝‍🧑 Jongerenoverlast")
    run.api.drain(user.id)
    if isinstance(place, str):
        run.api.send_text(user, place)
    else:
        run.api.send_location(user, *place)
    return await run.api.wait_for_message(user.id, contains="Plek:")


async def count_reports(chain: Chain) -> int:
    """Return how many reports are stored."""
    return await running(chain).services.reports.count()


async def test_a_second_resident_follows_the_first_report_and_hears_what_it_hears(
    dup: Chain,
) -> None:
    chain, api, run = dup, dup.run.api, dup.run
    anna = api.user(2001, "Anna")
    reference = await chain.report(anna)
    lead = await chain.notification(chain.police, reference)
    bram = api.user(2002, "Bram")
    await up_to_place(chain, bram, "Boddenkamp")
    cards = await api.wait_for_message(bram.id, contains=CARDS)
    assert "Jongerenoverlast" in cards.text and "in Boddenkamp" in cards.text
    assert "Anna" not in cards.text and "Bij de speeltuin" not in cards.text  # nothing personal
    assert cards.button_texts == [SAME, OTHER]
    followed = await run.tap(bram, cards, SAME, expect="U volgt nu melding")
    assert reference in followed.text
    assert await count_reports(chain) == 1
    assert await running(chain).services.drafts.get(bram.id) is None
    edited = await api.wait_for_message(chain.police.id, contains="+1 bewoner", timeout=10)
    assert edited.edited and edited.message_id == lead.message_id and "Bram" not in edited.text
    mine = await run.say(bram, "/mijnmeldingen", expect=reference)
    assert "👥" in mine.text
    added = await run.say(bram, "Ze zijn er nu weer, met scooters", expect="Toegevoegd aan")
    assert reference in added.text
    relayed = await api.wait_for_message(chain.police.id, contains="met scooters", timeout=10)
    assert reference in relayed.text
    later = await run.say(bram, "En nog iets")  # the hour for additions is used up
    assert "Toegevoegd" not in later.text
    # Resolved: both residents hear it, each once.
    api.drain(chain.police.id)
    api.press(chain.kees, edited, text="✅ Afhandelen")
    menu = await api.wait_for_message(chain.police.id)
    api.press(chain.kees, menu, text="Gesprek gevoerd")
    for resident in (anna, bram):
        done = await api.wait_for_message(resident.id, contains="is afgehandeld", timeout=10)
        assert reference in done.text
    # Erasure ends following; the count stays, anonymous.
    prompt = await run.say(bram, "/vergeetmij", expect="Wilt u al uw gegevens")
    await run.tap(bram, prompt, "Ja, wis mijn gegevens", expect="zijn gewist")
    assert await running(chain).services.followers.followed(bram.id) == []


async def test_no_means_a_new_report_and_pins_far_away_get_no_cards(dup: Chain) -> None:
    chain, api, run = dup, dup.run.api, dup.run
    dirk = api.user(2011, "Dirk")
    await up_to_place(chain, dirk, OUDE_MARKT)
    await finish_and_send(chain, dirk)
    eva = api.user(2012, "Eva")
    await up_to_place(chain, eva, NEARBY)
    cards = await api.wait_for_message(eva.id, contains=CARDS)
    assert "m hiervandaan" in cards.text
    await run.tap(eva, cards, OTHER, expect="Wat is er aan de hand")
    await finish_and_send(chain, eva, asked=True)
    frank = api.user(2013, "Frank")
    asked = await up_to_place(chain, frank, FAR)  # no cards: the description is asked with it
    assert "Wat is er aan de hand" in asked.text
    await api.wait_idle()
    assert not [m for m in api.messages(frank.id) if CARDS in m.text]
    assert await count_reports(chain) == 2


async def test_a_closed_report_and_a_stale_press_start_nothing(dup: Chain) -> None:
    chain, api = dup, dup.run.api
    gijs = api.user(2021, "Gijs")
    reference = await chain.report(gijs)
    lead = await chain.notification(chain.police, reference)
    hanna = api.user(2022, "Hanna")
    await up_to_place(chain, hanna, "Boddenkamp")
    cards = await api.wait_for_message(hanna.id, contains=CARDS)
    api.press(chain.kees, lead, text="✅ Afhandelen")  # closed before Hanna chooses
    menu = await api.wait_for_message(chain.police.id)
    api.press(chain.kees, menu, text="Gesprek gevoerd")
    await api.wait_for_message(gijs.id, contains="is afgehandeld", timeout=10)
    api.drain(hanna.id)
    pressed = api.press(hanna, cards, text=SAME)
    asked = await api.wait_for_message(hanna.id, contains="Wat is er aan de hand")
    assert asked is not None
    answer = await answer_of(chain, pressed)
    assert answer.get("show_alert") is True and "afgesloten" in str(answer.get("text"))
    assert await running(chain).services.followers.followed(hanna.id) == []
    assert await running(chain).services.drafts.get(hanna.id) is not None


async def finish_and_send(chain: Chain, user: FakeUser, *, asked: bool = False) -> SentMessage:
    """Answer the rest of the report and send it."""
    run = chain.run
    if not asked:
        await description_asked(run, user)
    summary = await finish_after_location_asked(chain, user)
    return await run.tap(user, summary, "✅ Versturen", expect="Dank u wel")


async def finish_after_location_asked(chain: Chain, user: FakeUser) -> SentMessage:
    """Answer description, photos, timing and contact once the description was asked."""
    run, api = chain.run, chain.run.api
    question = await run.say(user, "Groep jongeren met harde muziek bij de bank", expect="Foto's")
    await run.tap(user, question, "Geen foto's", expect="Wanneer speelt het")
    await run.tap(user, api.messages(user.id)[-1], "Het komt steeds terug", expect="Mogen we")
    return await run.tap(user, api.messages(user.id)[-1], "Nee, liever niet", expect="Controleer")


async def answer_of(chain: Chain, query_id: str) -> dict[str, object]:
    """Wait until the bot answered a button press and return its answer."""
    for _ in range(250):
        answer = chain.run.api.answered(query_id)
        if answer is not None:
            return dict(answer)
        await asyncio.sleep(0.02)
    raise AssertionError(f"button press {query_id} was not answered")


async def test_a_caseworker_merges_a_newer_report_into_the_older_one(chain: Chain) -> None:
    api, run = chain.run.api, chain.run
    anna, bram = api.user(2031, "Anna"), api.user(2032, "Bram")
    first = await chain.report(anna)
    first_lead = await chain.notification(chain.police, first)
    second = await chain.report(bram)  # hints are off here: a second report is made
    second_lead = await chain.notification(chain.police, second)
    assert "🔗 Dubbel" in second_lead.button_texts
    alone = api.press(chain.kees, first_lead, text="🔗 Dubbel")  # nothing older than the first
    refused = await answer_of(chain, alone)
    assert refused.get("show_alert") is True and "Geen oudere" in str(refused.get("text"))
    stranger = api.press(chain.otto, second_lead, text="🔗 Dubbel")  # not a caseworker
    assert (await answer_of(chain, stranger)).get("show_alert") is True
    api.drain(chain.police.id)
    api.press(chain.kees, second_lead, text="🔗 Dubbel")
    await api.wait_idle()
    menu = api.current(chain.police.id, second_lead.message_id) or {}
    labels = [b["text"] for row in menu["reply_markup"]["inline_keyboard"] for b in row]
    assert labels[0].startswith(first) and "Boddenkamp" in labels[0]
    api.drain(bram.id)
    api.press(chain.kees, menu, text=labels[0])
    told = await api.wait_for_message(bram.id, contains="Samengevoegd met melding", timeout=10)
    assert second in told.text and first in told.text
    merged = await running(chain).services.reports.get_by_reference(second)
    assert merged is not None and merged.status.value == "resolved"
    edited = await api.wait_for_message(chain.police.id, contains="+1 bewoner", timeout=10)
    assert edited.message_id == first_lead.message_id
    mine = await run.say(bram, "/mijnmeldingen", expect=first)
    assert "👥" in mine.text
    # Bram, now a co-reporter of the first report, is asked its follow-up like Anna.
    await move_to(chain, START + timedelta(days=3))
    asked = {r.id: await api.wait_for_message(r.id, contains=QUESTION) for r in (anna, bram)}
    assert first in asked[bram.id].text and second not in asked[bram.id].text
    api.drain(chain.police.id)
    api.press(bram, asked[bram.id], text="🔁 Speelt nog steeds")
    told = await api.wait_for_message(chain.police.id, contains="Speelt nog", timeout=10)
    assert first in told.text and "medemelder" in told.text and "Bram" not in told.text
    api.press(chain.kees, edited, text="✅ Afhandelen")
    await api.wait_idle()
    closing = api.current(chain.police.id, first_lead.message_id) or {}
    api.press(chain.kees, closing, text="Gesprek gevoerd")
    for resident in (anna, bram):
        done = await api.wait_for_message(resident.id, contains="is afgehandeld", timeout=10)
        assert first in done.text
    # Both are asked the survey, each their own.
    await move_to(chain, START + timedelta(days=4, hours=2))
    surveys = {r.id: await api.wait_for_message(r.id, contains=SURVEY) for r in (anna, bram)}
    assert first in surveys[bram.id].text
    api.press(bram, surveys[bram.id], text="👍 Ja, tevreden")
    await api.wait_for_message(bram.id, contains="Wat was vooral goed")
    report = await running(chain).services.reports.get_by_reference(first)
    assert report is not None
    theirs = await running(chain).services.surveys.get(report.id, 1)
    assert theirs is not None and theirs.satisfied is True
    own = await running(chain).services.surveys.get(report.id)
    assert own is not None and own.satisfied is None
