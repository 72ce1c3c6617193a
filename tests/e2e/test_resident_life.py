"""Languages, the report list, restarts, expiry, urgency, changes, photos and erasure."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from tests.e2e.harness import Harness
from tests.e2e.steps.residents import (
    DESCRIPTION,
    choose_category,
    finish_after_location,
    send_and_check,
)


async def test_an_english_resident_reports_in_english(meldbot: Harness) -> None:
    api = meldbot.api
    emma = api.user(2001, "Emma", language_code="en-GB")
    await meldbot.say(emma, "/report", expect="What is your report about")
    await meldbot.tap_key(emma, "🔊 Noise", expect="Where is it")
    assert api.reply_keyboard(emma.id) == [
        ["📍 Share my location"],
        ["🗺️ Choose a district"],
        ["✖️ Cancel"],
    ]
    await meldbot.say(emma, "Wesselerbrink", expect="Which one do you mean")
    choice = api.messages(emma.id)[-1]
    first = choice.button_texts[0]
    placed = await meldbot.tap(emma, choice, first, expect="Place:")
    assert "What is going on" in placed.text
    photos = await meldbot.say(emma, "Loud music every night until 3 am.", expect="Photos")
    timing = await meldbot.tap(emma, photos, "No photos", expect="When does it happen")
    contact = await meldbot.tap(emma, timing, "It keeps recurring", expect="May we contact")
    summary = await meldbot.tap(emma, contact, "Yes, that's fine", expect="Check your report")
    assert "Noise" in summary.text and "Yes, my Telegram name may be shared" in summary.text
    done = await meldbot.tap(emma, summary, "✅ Send", expect="Thank you")
    assert "ENS-2026-0001" in done.text
    listing = await meldbot.say(emma, "/myreports", expect="Your reports")
    assert "ENS-2026-0001" in listing.text and "Noise" in listing.text
    assert "saved; will be passed on as soon as the team is connected" in listing.text


async def test_taal_switches_the_language_and_it_is_remembered(meldbot: Harness) -> None:
    api = meldbot.api
    femke = api.user(2002, "Femke", language_code="nl")
    prompt = await meldbot.say(femke, "/taal", expect="In welke taal")
    await meldbot.tap(femke, prompt, "🇬🇧 English", expect="now speaks English")
    await meldbot.say(femke, "/help", expect="How Meldbot works")
    prompt = await meldbot.say(femke, "/language", expect="Which language")
    await meldbot.tap(femke, prompt, "🇳🇱 Nederlands", expect="spreekt nu Nederlands")
    await meldbot.say(femke, "/help", expect="Zo werkt Meldbot")


async def test_the_command_menus_are_registered_in_both_languages(meldbot: Harness) -> None:
    calls = [params for method, params in meldbot.api.requests if method == "setMyCommands"]
    by_language = {str(p.get("language_code", "")): str(p["commands"]) for p in calls}
    assert "melden" in by_language["nl"] and "mijnmeldingen" in by_language["nl"]
    assert "report" in by_language["en"] and "myreports" in by_language["en"]
    assert "melden" in by_language[""]


async def test_a_failed_command_menu_does_not_stop_the_start_and_is_published_later(
    harness: Harness,
) -> None:
    api = harness.api
    api.fail_next("setMyCommands", status=502)
    await harness.start()
    await harness.say(api.user(2010, "Hanna"), "/start", expect="Welkom")
    for _ in range(100):  # the next try comes 2 s after the failed one
        published = [p for m, p in api.requests if m == "setMyCommands"]
        if {str(p.get("language_code", "")) for p in published} >= {"", "nl", "en"}:
            break
        await asyncio.sleep(0.1)
    else:
        raise AssertionError("the command menus were not published again")
    assert "melden" in str(published[-1]["commands"]) or "report" in str(published[-1]["commands"])


async def test_my_reports_lists_reports_newest_first_with_buurt_and_status(
    meldbot: Harness,
) -> None:
    api = meldbot.api
    gert = api.user(2003, "Gert")
    empty = await meldbot.say(gert, "/mijnmeldingen", expect="nog geen meldingen")
    assert "📝 Nieuwe melding" in empty.button_texts
    for text in ("Boddenkamp", "Bolhaar"):
        await choose_category(meldbot, gert)
        await meldbot.say(gert, text, expect="Plek:")
        await send_and_check(meldbot, gert)
    listing = await meldbot.say(gert, "/mijnmeldingen", expect="Uw meldingen")
    assert listing.text.index("ENS-2026-0002") < listing.text.index("ENS-2026-0001")
    assert "Bolhaar" in listing.text and "Boddenkamp" in listing.text
    assert "Status: opgeslagen; wordt doorgestuurd zodra het team is aangesloten" in listing.text


async def test_a_restart_in_the_middle_of_a_report_loses_nothing(meldbot: Harness) -> None:
    api = meldbot.api
    hans = api.user(2004, "Hans")
    await choose_category(meldbot, hans, "🖌️ Vandalisme en graffiti")
    await meldbot.say(hans, "Boddenkamp", expect="Wat is er aan de hand")
    await meldbot.restart()
    photos = await meldbot.say(hans, DESCRIPTION, expect="Foto's")
    timing = await meldbot.tap(hans, photos, "Geen foto's", expect="Wanneer")
    await meldbot.restart()
    contact = await meldbot.tap(hans, timing, "Nu", expect="Mogen we contact")
    summary = await meldbot.tap(hans, contact, "Ja, dat mag", expect="Controleer uw melding")
    assert "Vandalisme en graffiti" in summary.text and "Boddenkamp" in summary.text
    await meldbot.tap(hans, summary, "✅ Versturen", expect="ENS-2026-0001")


async def test_melden_after_a_restart_resumes_where_the_resident_was(meldbot: Harness) -> None:
    api = meldbot.api
    ine = api.user(2005, "Ine")
    await choose_category(meldbot, ine)
    await meldbot.restart()
    await meldbot.say(ine, "/melden", expect="we gaan verder waar u was")
    await api.wait_for_message(ine.id, contains="Waar is het")


async def test_an_untouched_draft_expires_and_the_resident_is_told(meldbot: Harness) -> None:
    api = meldbot.api
    jop = api.user(2006, "Jop")
    await choose_category(meldbot, jop)
    meldbot.clock.advance(timedelta(minutes=29))
    await api.wait_idle(quiet=1.2)
    assert meldbot.bot is not None
    assert await meldbot.bot.services.drafts.get(jop.id) is not None
    meldbot.clock.advance(timedelta(minutes=2))
    notice = await api.wait_for_message(jop.id, contains="verlopen", timeout=5)
    assert "30 minuten" in notice.text
    assert await meldbot.bot.services.drafts.get(jop.id) is None
    await meldbot.say(jop, "Boddenkamp", expect="Wilt u iets melden")


async def test_a_draft_found_expired_on_the_next_message_is_reported_once(
    harness: Harness,
) -> None:
    await harness.start()
    api = harness.api
    kees = api.user(2007, "Kees")
    await choose_category(harness, kees)
    assert harness.bot is not None
    await harness.stop()
    harness.clock.advance(timedelta(hours=2))
    await harness.start()
    await api.wait_for_message(kees.id, contains="verlopen", timeout=5)
    await harness.say(kees, "Boddenkamp", expect="Wilt u iets melden")
    assert sum("verlopen" in m.text for m in api.messages(kees.id)) == 1


async def test_the_fire_hazard_category_points_to_112_at_once(meldbot: Harness) -> None:
    api = meldbot.api
    lars = api.user(2008, "Lars")
    await meldbot.say(lars, "/melden", expect="Waarover")
    await meldbot.tap_key(lars, "🔥 Brandgevaar", expect="Bel direct 112")
    await api.wait_for_message(lars.id, contains="Waar is het")
    methods = [m.method for m in api.messages(lars.id)]
    assert methods.index("sendContact") < len(methods) - 1
    contact = next(m for m in api.messages(lars.id) if m.method == "sendContact")
    assert contact.params["phone_number"] == "112"


async def test_danger_words_in_the_description_point_to_112_once(meldbot: Harness) -> None:
    api = meldbot.api
    mila = api.user(2009, "Mila")
    await choose_category(meldbot, mila)
    await meldbot.say(mila, "Boddenkamp", expect="Wat is er aan de hand")
    await meldbot.say(mila, "Er loopt nu iemand met een mes rond", expect="Bel direct 112")
    photos = await api.wait_for_message(mila.id, contains="Foto's")
    timing = await meldbot.tap(mila, photos, "Geen foto's", expect="Wanneer")
    assert sum("Bel direct 112" in m.text for m in api.messages(mila.id)) == 1
    assert timing is not None


async def test_change_replaces_one_answer_and_returns_to_the_summary(meldbot: Harness) -> None:
    api = meldbot.api
    noor = api.user(2010, "Noor")
    await choose_category(meldbot, noor)
    await meldbot.say(noor, "Boddenkamp", expect="Plek:")
    summary = await finish_after_location(meldbot, noor)
    menu = await meldbot.tap(noor, summary, "✏️ Wijzigen", expect="Wat wilt u wijzigen")
    await meldbot.tap(noor, menu, "Beschrijving", expect="Wat is er aan de hand")
    summary = await meldbot.say(
        noor, "Toch iets anders: glas op het fietspad.", expect="Controleer"
    )
    assert "glas op het fietspad" in summary.text and DESCRIPTION not in summary.text
    menu = await meldbot.tap(noor, summary, "✏️ Wijzigen", expect="Wat wilt u wijzigen")
    await meldbot.tap(noor, menu, "Plek", expect="Waar is het")
    summary = await meldbot.say(noor, "Bolhaar", expect="Controleer")
    assert "Bolhaar" in summary.text
    menu = await meldbot.tap(noor, summary, "✏️ Wijzigen", expect="Wat wilt u wijzigen")
    await meldbot.tap(noor, menu, "Categorie", expect="Waarover gaat uw melding")
    assert ["🔊 Geluidsoverlast"] in (api.reply_keyboard(noor.id) or [])
    summary = await meldbot.tap_key(noor, "🔊 Geluidsoverlast", expect="Controleer")
    # The summary's buttons are inline; the category keys went with the line before it.
    assert api.reply_keyboard(noor.id) is None
    assert api.messages(noor.id)[-2].text == "Categorie\n➡️ 🔊 Geluidsoverlast"
    assert "Geluidsoverlast" in summary.text and "Bolhaar" in summary.text
    await meldbot.tap(noor, summary, "✅ Versturen", expect="ENS-2026-0001")
    assert meldbot.bot is not None
    report = await meldbot.bot.services.reports.get_by_reference("ENS-2026-0001")
    assert report is not None and report.category_id == "geluidsoverlast"


async def test_up_to_three_photos_are_kept_by_file_id(meldbot: Harness) -> None:
    api = meldbot.api
    olga = api.user(2011, "Olga")
    await choose_category(meldbot, olga)
    await meldbot.say(olga, "Boddenkamp", expect="Wat is er aan de hand")
    await meldbot.say(olga, DESCRIPTION, expect="Foto's")
    sent = [api.send_photo(olga) for _ in range(3)]
    await api.wait_for_message(olga.id, contains="Foto 1 van 3")
    await api.wait_for_message(olga.id, contains="Foto 2 van 3")
    timing = await api.wait_for_message(olga.id, contains="Wanneer")
    contact = await meldbot.tap(olga, timing, "Nu", expect="Mogen we contact")
    summary = await meldbot.tap(olga, contact, "Nee, liever niet", expect="Controleer")
    assert "Foto's: 3" in summary.text
    await meldbot.tap(olga, summary, "✅ Versturen", expect="ENS-2026-0001")
    assert meldbot.bot is not None
    report = await meldbot.bot.services.reports.get_by_reference("ENS-2026-0001")
    assert report is not None
    expected = [max(m["photo"], key=lambda p: p["width"])["file_id"] for m in sent]
    assert report.photo_file_ids == expected
    assert not [m for m, _ in api.requests if m == "getFile"]


async def test_forget_me_erases_the_residents_data(meldbot: Harness) -> None:
    api = meldbot.api
    piet = api.user(2012, "Piet")
    await choose_category(meldbot, piet)
    await meldbot.say(piet, "Boddenkamp", expect="Plek:")
    await send_and_check(meldbot, piet)
    prompt = await meldbot.say(piet, "/vergeetmij", expect="Wilt u al uw gegevens")
    await meldbot.tap(piet, prompt, "Ja, wis mijn gegevens", expect="zijn gewist")
    await meldbot.say(piet, "/mijnmeldingen", expect="nog geen meldingen")
    assert meldbot.bot is not None
    report = await meldbot.bot.services.reports.get_by_reference("ENS-2026-0001")
    assert report is not None
    assert report.description == "" and report.location.neighbourhood.buurt_name
