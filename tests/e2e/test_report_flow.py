"""A resident reports a nuisance end to end, through the real bot and the fake Bot API."""

from __future__ import annotations

from tests.e2e.harness import Harness
from tests.e2e.steps.residents import (
    DESCRIPTION,
    choose_category,
    description_asked,
    finish_after_location,
    send_and_check,
    start_report,
)


async def test_a_resident_reports_youth_nuisance_with_a_pin_and_gets_a_reference(
    meldbot: Harness,
) -> None:
    api = meldbot.api
    anna = api.user(1001, "Anna")
    await start_report(meldbot, anna)
    await meldbot.tap_key(anna, "🧑‍🤝‍🧑 Jongerenoverlast", expect="Waar is het")
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


async def test_each_answer_turns_its_question_into_the_next_and_a_report_costs_12_calls(
    meldbot: Harness,
) -> None:
    api = meldbot.api
    mia = api.user(1021, "Mia")
    before = len(api.requests)
    await choose_category(meldbot, mia, "🧑‍🤝‍🧑 Jongerenoverlast")
    # The category is a key of the reply keyboard: the place question brings the next keys.
    assert ["📍 Deel mijn locatie"] in (api.reply_keyboard(mia.id) or [])
    placed = await meldbot.say(mia, "Boddenkamp", expect="Plek:")
    assert api.reply_keyboard(mia.id) is None
    assert "Wat is er aan de hand" in placed.text  # the place and the next question: one message
    photos = await meldbot.say(mia, DESCRIPTION, expect="Foto's")
    timing = await meldbot.tap(mia, photos, "Geen foto's", expect="Wanneer speelt het")
    assert timing.edited and timing.message_id == photos.message_id
    assert "➡️ Geen foto's" in timing.text and timing.text.index("Foto") < timing.text.index(
        "Wanneer"
    )
    contact = await meldbot.tap(mia, timing, "Het komt steeds terug", expect="Mogen we contact")
    assert contact.message_id == photos.message_id and "Geen foto's" not in contact.text
    assert "➡️ Het komt steeds terug" in contact.text
    summary = await meldbot.tap(mia, contact, "Nee, liever niet", expect="Controleer uw melding")
    assert summary.message_id == photos.message_id
    assert summary.text.index("➡️") < summary.text.index("Controleer uw melding")
    assert summary.button_texts[0] == "✅ Versturen"
    confirmed = await meldbot.tap(mia, summary, "✅ Versturen", expect="Dank u wel")
    # The reference comes under the summary it confirms, in the same message; its buttons go.
    assert confirmed.edited and confirmed.message_id == photos.message_id
    assert confirmed.text.index("Controleer uw melding") < confirmed.text.index("ENS-")
    assert not confirmed.button_texts
    await api.wait_idle()
    calls = [
        method
        for method, params in api.requests[before:]
        if method != "getUpdates"
        and ("callback_query_id" in params or str(params.get("chat_id")) == str(mia.id))
    ]
    # 8 updates: /melden, category, place, description, photos, timing, contact, Send.
    assert len(calls) == 12, calls  # was 19: a closing edit and a new message per press
    assert calls.count("answerCallbackQuery") == 4
    assert calls.count("sendMessage") == 4  # /melden, category (the pin keyboard), place, text


async def test_a_summary_too_long_to_share_a_message_comes_on_its_own(meldbot: Harness) -> None:
    api = meldbot.api
    noor = api.user(1022, "Noor")
    await choose_category(meldbot, noor, "🧑‍🤝‍🧑 Jongerenoverlast")
    await meldbot.say(noor, "Boddenkamp", expect="Plek:")
    photos = await meldbot.say(noor, "<>" * 1000, expect="Foto's")  # 8,000 chars of HTML
    timing = await meldbot.tap(noor, photos, "Geen foto's", expect="Wanneer speelt het")
    contact = await meldbot.tap(noor, timing, "Nu", expect="Mogen we contact")
    assert contact.message_id == photos.message_id
    summary = await meldbot.tap(noor, contact, "Ja, dat mag", expect="Controleer uw melding")
    assert summary.message_id != photos.message_id and "<>" * 1000 in summary.text
    closed = api.current(noor.id, photos.message_id) or {}
    assert "➡️" in str(closed.get("text")) and not closed.get("reply_markup")
    assert summary.button_texts[0] == "✅ Versturen"
    confirmed = await meldbot.tap(noor, summary, "✅ Versturen", expect="Dank u wel")
    # Summary and reference would not fit one message: the reference takes the summary's place.
    assert confirmed.message_id == summary.message_id and "<>" not in confirmed.text
    assert not confirmed.button_texts


async def test_the_reference_comes_on_its_own_when_the_summary_cannot_be_edited(
    meldbot: Harness,
) -> None:
    api = meldbot.api
    olaf = api.user(1023, "Olaf")
    await choose_category(meldbot, olaf, "🧑‍🤝‍🧑 Jongerenoverlast")
    await meldbot.say(olaf, "Boddenkamp", expect="Plek:")
    summary = await finish_after_location(meldbot, olaf)
    refused = "Bad Request: message to edit not found"
    api.fail_next("editMessageText", status=400, description=refused, chat_id=olaf.id)
    confirmed = await meldbot.tap(olaf, summary, "✅ Versturen", expect="Dank u wel")
    assert confirmed.method == "sendMessage" and not confirmed.edited
    assert confirmed.message_id != summary.message_id
    reference = confirmed.text.split("nummer ")[1].split(".")[0]
    assert meldbot.bot is not None
    assert await meldbot.bot.services.reports.get_by_reference(reference) is not None


async def stored_buurt(run: Harness, reference: str) -> tuple[str, bool]:
    assert run.bot is not None
    report = await run.bot.services.reports.get_by_reference(reference)
    assert report is not None
    return report.location.neighbourhood.buurt_name, report.location.has_point


async def test_a_typed_street_address_is_geocoded_to_its_buurt(meldbot: Harness) -> None:
    bram = meldbot.api.user(1002, "Bram")
    await choose_category(meldbot, bram)
    placed = await meldbot.say(bram, "Oude Markt 1", expect="Plek:")
    assert "City" in placed.text
    reference = await send_and_check(meldbot, bram)
    assert await stored_buurt(meldbot, reference) == ("City", True)
    agents = {r.user_agent for r in meldbot.geocoder.search_requests}
    assert agents == {"meldbot-enschede/0.1 (gemeente Enschede, meldbot)"}


async def test_a_typed_pc4_places_the_report_in_the_postcode_area(meldbot: Harness) -> None:
    cor = meldbot.api.user(1003, "Cor")
    await choose_category(meldbot, cor)
    placed = await meldbot.say(cor, "7511", expect="Plek:")
    assert "7511" in placed.text
    reference = await send_and_check(meldbot, cor)
    buurt, has_point = await stored_buurt(meldbot, reference)
    assert not has_point and buurt


async def test_a_typed_postcode_with_house_number_gets_the_exact_spot(meldbot: Harness) -> None:
    dirk = meldbot.api.user(1004, "Dirk")
    await choose_category(meldbot, dirk)
    await meldbot.say(dirk, "7511 AB 12", expect="Plek:")
    reference = await send_and_check(meldbot, dirk)
    assert (await stored_buurt(meldbot, reference))[1] is True


async def test_a_neighbourhood_name_places_the_report_without_a_spot(meldbot: Harness) -> None:
    eva = meldbot.api.user(1005, "Eva")
    await choose_category(meldbot, eva)
    placed = await meldbot.say(eva, "boddenkamp", expect="Plek:")
    assert "Boddenkamp" in placed.text
    reference = await send_and_check(meldbot, eva)
    assert await stored_buurt(meldbot, reference) == ("Boddenkamp", False)


async def test_the_place_typed_twice_is_not_filed_as_the_description(meldbot: Harness) -> None:
    # A resident who did not see the description question (its message was lost, or the bot
    # restarted before sending it) types the place again: it is not taken as the description.
    gijs = meldbot.api.user(1013, "Gijs")
    await choose_category(meldbot, gijs)
    await meldbot.say(gijs, "Boddenkamp", expect="Plek:")
    await description_asked(meldbot, gijs)
    mark = len(meldbot.api.messages(gijs.id))
    await meldbot.say(gijs, "boddenkamp", expect="Wat is er aan de hand")
    again = [m.text for m in meldbot.api.messages(gijs.id)[mark:]]
    assert any("Plek:" in text for text in again)
    await meldbot.say(gijs, DESCRIPTION, expect="Foto's")
    assert meldbot.bot is not None
    draft = await meldbot.bot.services.drafts.get(gijs.id)
    assert draft is not None and draft.description == DESCRIPTION


async def test_a_name_of_several_buurten_offers_them_as_buttons(meldbot: Harness) -> None:
    fenna = meldbot.api.user(1006, "Fenna")
    await choose_category(meldbot, fenna)
    choice = await meldbot.say(fenna, "Stadsveld", expect="meerdere buurten")
    assert "Stadsveld-Zuid" in choice.button_texts
    await meldbot.tap(fenna, choice, "Stadsveld-Zuid", expect="Plek:")
    reference = await send_and_check(meldbot, fenna)
    assert await stored_buurt(meldbot, reference) == ("Stadsveld-Zuid", False)


async def test_a_resident_can_choose_wijk_and_buurt_without_giving_a_spot(
    meldbot: Harness,
) -> None:
    api = meldbot.api
    gijs = api.user(1007, "Gijs")
    await choose_category(meldbot, gijs)
    wijken = await meldbot.say(gijs, "🗺️ Kies een wijk", expect="In welke wijk")
    assert len([b for b in wijken.button_texts if b != "✖️ Annuleren"]) == 10
    buurten = await meldbot.tap(gijs, wijken, "Enschede-Noord", expect="In welke buurt")
    back = await meldbot.tap(gijs, buurten, "⬅️ Terug", expect="In welke wijk")
    buurten = await meldbot.tap(gijs, back, "Enschede-Noord", expect="In welke buurt")
    await meldbot.tap(gijs, buurten, "Bolhaar", expect="Plek:")
    reference = await send_and_check(meldbot, gijs)
    assert await stored_buurt(meldbot, reference) == ("Bolhaar", False)


async def test_a_venue_is_placed_by_its_point(meldbot: Harness) -> None:
    api = meldbot.api
    hanna = api.user(1008, "Hanna")
    await choose_category(meldbot, hanna)
    api.send_venue(hanna, 52.2368, 6.8373, "De Grolsch Veste", "Colosseum 65")
    placed = await api.wait_for_message(hanna.id, contains="Plek:")
    assert "Kennispark" in placed.text
    reference = await send_and_check(meldbot, hanna)
    assert await stored_buurt(meldbot, reference) == ("Kennispark", True)


async def test_a_live_location_takes_the_first_fix(meldbot: Harness) -> None:
    api = meldbot.api
    ivo = api.user(1009, "Ivo")
    await choose_category(meldbot, ivo)
    live = api.send_location(ivo, 52.2393, 6.8555, live_period=900)
    placed = await api.wait_for_message(ivo.id, contains="Plek:")
    assert "Drienerveld" in placed.text
    api.edit_live_location(ivo, live, 52.2196, 6.8937)
    reference = await send_and_check(meldbot, ivo)
    assert (await stored_buurt(meldbot, reference))[0] == "Drienerveld-U.T."


async def test_when_the_geocoder_fails_the_pin_and_the_wijk_list_are_offered(
    meldbot: Harness,
) -> None:
    jan = meldbot.api.user(1010, "Jan")
    await choose_category(meldbot, jan)
    meldbot.geocoder.fail_next(status=500)
    offer = await meldbot.say(jan, "Kalanderstraat 3", expect="lukt op dit moment niet")
    assert "🗺️ Kies een wijk" in offer.button_texts
    wijken = await meldbot.tap(jan, offer, "🗺️ Kies een wijk", expect="In welke wijk")
    buurten = await meldbot.tap(jan, wijken, "Binnensingelgebied", expect="In welke buurt")
    await meldbot.tap(jan, buurten, "City", expect="Plek:")


async def test_an_unknown_address_says_so_and_offers_the_wijk_list(meldbot: Harness) -> None:
    kim = meldbot.api.user(1011, "Kim")
    await choose_category(meldbot, kim)
    offer = await meldbot.say(kim, "Nergenslaan 99", expect="niet vinden")
    assert "🗺️ Kies een wijk" in offer.button_texts
