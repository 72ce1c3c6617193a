"""Unexpected input gets a short answer that says what is expected; nothing crashes or is lost.

Every test talks to the real bot through the fake Bot API, which fails the test when the bot
makes a request Telegram would refuse or leaves a button press unanswered.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from handlers.services import Services
from reports.models import Draft, LocationSource, Step
from sandbox.botapi import FakeBotApi, FakeUser, SentMessage
from sandbox.botapi.models import JSONDict
from tests.e2e.harness import Harness

DESCRIPTION = "Elke avond staat er een groep jongeren te schreeuwen bij het winkelcentrum."
CITY = (52.2196, 6.8937)
DRIENERVELD = (52.2393, 6.8555)
HENGELO = (52.2658, 6.7931)
BOT_LINK = "https://t.me/meldbot_test_bot"

UNSUPPORTED = "Dit soort bericht kan ik niet verwerken."
NO_DRAFT = "Wilt u iets melden? Tik op /melden."
STALE = "Deze knop hoort bij een eerder bericht en werkt niet meer."
UNKNOWN_BUTTON = "Deze knop ken ik niet."
CANCELLED = "Uw melding is geannuleerd en gewist."
EDITED = "Een gewijzigd bericht neem ik niet over."
RESUMING = "U was al bezig met een melding"

ORDER = list(Step)
QUESTIONS = {
    Step.CATEGORY: "(stap 1 van 6)",
    Step.LOCATION: "(stap 2 van 6)",
    Step.DESCRIPTION: "(stap 3 van 6)",
    Step.PHOTOS: "(stap 4 van 6",
    Step.TIMING: "(stap 5 van 6)",
    Step.CONTACT: "(stap 6 van 6)",
    Step.CONFIRM: "Controleer uw melding",
}
EXPECTATIONS = {
    Step.CATEGORY: "Kies eerst een categorie met de knoppen hieronder.",
    Step.LOCATION: (
        "Ik wacht op de plek: deel uw locatie, typ een adres, postcode of buurtnaam, of kies "
        "een wijk."
    ),
    Step.DESCRIPTION: "Ik wacht op een beschrijving in tekst (10 tot 2000 tekens).",
    Step.PHOTOS: (
        "Stuur een foto (als foto, niet als bestand), of tik op de knop om verder te gaan."
    ),
    Step.TIMING: "Kies met de knoppen wanneer het speelt.",
    Step.CONTACT: "Kies met de knoppen of we contact met u mogen opnemen.",
    Step.CONFIRM: "Tik op Versturen, Wijzigen of Annuleren onder het overzicht.",
}
BUTTONS = {
    Step.CATEGORY: "❓ Overig",
    Step.PHOTOS: "Geen foto's",
    Step.TIMING: "Het komt steeds terug",
    Step.CONTACT: "Nee, liever niet",
    Step.CONFIRM: "✅ Versturen",
}

Sender = Callable[[FakeBotApi, FakeUser], object]
SENDERS: dict[str, Sender] = {
    "sticker": lambda api, user: api.send_sticker(user),
    "voice": lambda api, user: api.send_voice(user),
    "video": lambda api, user: api.send_video(user),
    "video note": lambda api, user: api.send_video_note(user),
    "audio": lambda api, user: api.send_audio(user),
    "animation": lambda api, user: api.send_animation(user),
    "document": lambda api, user: api.send_document(user, caption="de melding als pdf"),
    "contact": lambda api, user: api.send_contact(user),
    "poll": lambda api, user: api.send_poll(user),
    "dice": lambda api, user: api.send_dice(user),
}
KINDS = list(SENDERS)


# --- helpers ------------------------------------------------------------------------------


def services(run: Harness) -> Services:
    """Return the running bot's services, to look into the database."""
    assert run.bot is not None
    return run.bot.services


async def draft_of(run: Harness, user: FakeUser) -> Draft | None:
    """Return the resident's stored draft."""
    return await services(run).drafts.get(user.id)


async def report_count(run: Harness) -> int:
    """Return how many reports are stored."""
    return await services(run).reports.count()


def mark(api: FakeBotApi, user: FakeUser) -> int:
    """Remember how much the bot has sent to the resident so far."""
    return len(api.messages(user.id))


def sent_since(api: FakeBotApi, user: FakeUser, start: int) -> list[SentMessage]:
    """Return the new messages (not edits) the bot sent to the resident since a mark."""
    return [m for m in api.messages(user.id)[start:] if not m.edited]


async def replies(api: FakeBotApi, user: FakeUser, start: int, last: str) -> list[SentMessage]:
    """Wait for a reply containing last, then for quiet; return every new message since start."""
    await api.wait_for_message(user.id, contains=last)
    await api.wait_idle()
    return sent_since(api, user, start)


async def answer_of(api: FakeBotApi, query_id: str) -> JSONDict:
    """Wait until the bot answered a button press and return its answer."""
    for _ in range(250):
        answer = api.answered(query_id)
        if answer is not None:
            return answer
        await asyncio.sleep(0.02)
    raise AssertionError(f"button press {query_id} was not answered")


def labels(api: FakeBotApi, chat_id: int, message_id: int) -> list[str]:
    """Return the labels of the inline buttons a message shows now."""
    current = api.current(chat_id, message_id)
    assert current is not None
    rows = (current.get("reply_markup") or {}).get("inline_keyboard", [])
    return [str(button["text"]) for row in rows for button in row]


def press_latest(api: FakeBotApi, user: FakeUser, label: str) -> str:
    """Press the button labelled label on the newest message that still shows it."""
    for sent in reversed(api.messages(user.id)):
        if label in labels(api, user.id, sent.message_id):
            return api.press(user, sent, text=label)
    raise AssertionError(f"no message in the chat shows a button {label!r}")


async def answer(run: Harness, user: FakeUser, step: Step) -> SentMessage:
    """Give a valid answer to step and return the question (or confirmation) that follows."""
    api = run.api
    if step is Step.LOCATION:
        api.send_location(user, *CITY)
        placed = await api.wait_for_message(user.id, contains="Plek: City")
        if QUESTIONS[Step.DESCRIPTION] in placed.text:
            return placed  # the place and the description question come in one message
    elif step is Step.DESCRIPTION:
        api.send_text(user, DESCRIPTION)
    elif step is Step.CATEGORY:
        api.tap_key(user, BUTTONS[step])  # the categories are keys of the reply keyboard
    else:
        press_latest(api, user, BUTTONS[step])
    if step is Step.CONFIRM:
        return await api.wait_for_message(user.id, contains="Dank u wel")
    return await api.wait_for_message(user.id, contains=QUESTIONS[ORDER[ORDER.index(step) + 1]])


async def walk_to(run: Harness, user: FakeUser, step: Step) -> SentMessage:
    """Start a report and answer every question before step; return the question of step."""
    question = await run.say(user, "/melden", expect=QUESTIONS[Step.CATEGORY])
    for done in ORDER[: ORDER.index(step)]:
        question = await answer(run, user, done)
    return question


async def complete_from(run: Harness, user: FakeUser, step: Step) -> str:
    """Answer step and every question after it, send the report and return its reference."""
    confirmation = None
    for todo in ORDER[ORDER.index(step) :]:
        confirmation = await answer(run, user, todo)
    assert confirmation is not None
    return confirmation.text.split("nummer ")[1].split(".")[0]


async def assert_sent_as_expected(run: Harness, reference: str, user: FakeUser) -> None:
    """Check that exactly one report was stored, with the answers the helpers give."""
    assert await report_count(run) == 1
    report = await services(run).reports.get_by_reference(reference)
    assert report is not None
    assert report.user_id == user.id
    assert report.category_id == "overig"
    assert report.location.neighbourhood.buurt_name == "City"
    assert report.description == DESCRIPTION
    assert await draft_of(run, user) is None


def assert_alert(answer: JSONDict, text: str) -> None:
    """Check that a press was answered with an alert showing text."""
    assert answer.get("show_alert") is True
    assert answer.get("text") == text


# --- unsupported kinds of message ---------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
async def test_an_unsupported_message_without_a_draft_is_answered_and_a_report_is_offered(
    meldbot: Harness, kind: str
) -> None:
    api = meldbot.api
    anna = api.user(2100 + KINDS.index(kind), "Anna")
    start = mark(api, anna)
    SENDERS[kind](api, anna)
    answers = await replies(api, anna, start, NO_DRAFT)
    assert answers[0].text == UNSUPPORTED
    assert len(answers) == 2
    assert NO_DRAFT in answers[1].text
    assert "📝 Nieuwe melding" in answers[1].button_texts
    assert await draft_of(meldbot, anna) is None


@pytest.mark.parametrize("kind", KINDS)
async def test_an_unsupported_message_during_the_description_step_keeps_the_draft(
    meldbot: Harness, kind: str
) -> None:
    api = meldbot.api
    bram = api.user(2120 + KINDS.index(kind), "Bram")
    await walk_to(meldbot, bram, Step.DESCRIPTION)
    before = await draft_of(meldbot, bram)
    start = mark(api, bram)
    SENDERS[kind](api, bram)
    answers = await replies(api, bram, start, EXPECTATIONS[Step.DESCRIPTION])
    assert [m.text for m in answers] == [UNSUPPORTED, EXPECTATIONS[Step.DESCRIPTION]]
    assert await draft_of(meldbot, bram) == before
    reference = await complete_from(meldbot, bram, Step.DESCRIPTION)
    await assert_sent_as_expected(meldbot, reference, bram)


async def test_a_sticker_during_the_description_step_is_answered_with_what_is_expected(
    meldbot: Harness,
) -> None:
    api = meldbot.api
    cor = api.user(2140, "Cor")
    await walk_to(meldbot, cor, Step.DESCRIPTION)
    api.send_sticker(cor)
    await api.wait_for_message(cor.id, contains=UNSUPPORTED)
    expected = await api.wait_for_message(cor.id, contains="Ik wacht op een beschrijving")
    assert "10 tot 2000 tekens" in expected.text


# One kind of message at every step, so every step's reminder is exercised.
STEP_KINDS = list(
    zip(ORDER, ["voice", "dice", "poll", "document", "audio", "animation", "contact"], strict=True)
)


@pytest.mark.parametrize(("step", "kind"), STEP_KINDS, ids=[f"{k}-at-{s}" for s, k in STEP_KINDS])
async def test_an_unsupported_message_at_any_step_is_answered_and_the_report_can_be_sent(
    meldbot: Harness, step: Step, kind: str
) -> None:
    api = meldbot.api
    dirk = api.user(2150 + ORDER.index(step), "Dirk")
    await walk_to(meldbot, dirk, step)
    before = await draft_of(meldbot, dirk)
    start = mark(api, dirk)
    SENDERS[kind](api, dirk)
    if step is Step.DESCRIPTION:
        # The description question is not repeated: the reminder already says what to type.
        answers = await replies(api, dirk, start, EXPECTATIONS[step])
        assert [m.text for m in answers] == [UNSUPPORTED, EXPECTATIONS[step]]
    else:
        answers = await replies(api, dirk, start, QUESTIONS[step])
        assert [m.text for m in answers[:2]] == [UNSUPPORTED, EXPECTATIONS[step]]
        assert len(answers) == 3, "the question is asked once more, nothing else"
        assert QUESTIONS[step] in answers[2].text
        if step in BUTTONS:
            assert BUTTONS[step] in answers[2].button_texts
    assert await draft_of(meldbot, dirk) == before
    reference = await complete_from(meldbot, dirk, step)
    await assert_sent_as_expected(meldbot, reference, dirk)


async def test_a_document_at_the_photo_step_says_to_send_it_as_a_photo(meldbot: Harness) -> None:
    api = meldbot.api
    eva = api.user(2160, "Eva")
    await walk_to(meldbot, eva, Step.PHOTOS)
    api.send_document(eva, caption="foto van de plek")
    await api.wait_for_message(eva.id, contains=UNSUPPORTED)
    hint = await api.wait_for_message(eva.id, contains="niet als bestand")
    assert "foto" in hint.text
    api.send_photo(eva)
    received = await api.wait_for_message(eva.id, contains="Foto 1 van 3 ontvangen")
    assert "✅ Klaar" in received.button_texts
    draft = await draft_of(meldbot, eva)
    assert draft is not None and len(draft.photo_file_ids) == 1


async def test_a_photo_before_the_photo_step_is_answered_with_what_is_expected(
    meldbot: Harness,
) -> None:
    api = meldbot.api
    fenna = api.user(2161, "Fenna")
    await walk_to(meldbot, fenna, Step.DESCRIPTION)
    before = await draft_of(meldbot, fenna)
    start = mark(api, fenna)
    api.send_photo(fenna)
    answers = await replies(api, fenna, start, EXPECTATIONS[Step.DESCRIPTION])
    assert [m.text for m in answers] == [EXPECTATIONS[Step.DESCRIPTION]]
    assert await draft_of(meldbot, fenna) == before


async def test_text_at_a_button_step_is_answered_with_what_is_expected(meldbot: Harness) -> None:
    api = meldbot.api
    gijs = api.user(2162, "Gijs")
    await walk_to(meldbot, gijs, Step.TIMING)
    start = mark(api, gijs)
    api.send_text(gijs, "gisteravond rond elf uur")
    answers = await replies(api, gijs, start, QUESTIONS[Step.TIMING])
    assert answers[0].text == EXPECTATIONS[Step.TIMING]
    assert len(answers) == 2
    reference = await complete_from(meldbot, gijs, Step.TIMING)
    await assert_sent_as_expected(meldbot, reference, gijs)


async def test_a_location_at_the_description_step_is_answered_with_what_is_expected(
    meldbot: Harness,
) -> None:
    api = meldbot.api
    hanna = api.user(2163, "Hanna")
    await walk_to(meldbot, hanna, Step.DESCRIPTION)
    before = await draft_of(meldbot, hanna)
    start = mark(api, hanna)
    api.send_location(hanna, *DRIENERVELD)
    answers = await replies(api, hanna, start, EXPECTATIONS[Step.DESCRIPTION])
    assert [m.text for m in answers] == [EXPECTATIONS[Step.DESCRIPTION]]
    assert await draft_of(meldbot, hanna) == before


async def test_an_english_resident_is_answered_in_english(meldbot: Harness) -> None:
    api = meldbot.api
    ivo = api.user(2164, "Ivo", language_code="en")
    start = mark(api, ivo)
    api.send_voice(ivo)
    answers = await replies(api, ivo, start, "Want to report something?")
    assert answers[0].text == "I can't handle this kind of message."
    assert "📝 New report" in answers[1].button_texts


# --- edits and live locations -------------------------------------------------------------


async def test_an_edited_description_is_answered_and_the_original_is_kept(
    meldbot: Harness,
) -> None:
    api = meldbot.api
    jan = api.user(2200, "Jan")
    await walk_to(meldbot, jan, Step.DESCRIPTION)
    sent = api.send_text(jan, DESCRIPTION)
    await api.wait_for_message(jan.id, contains=QUESTIONS[Step.PHOTOS])
    start = mark(api, jan)
    api.edit_text(jan, sent, "Het is toch iets anders: er staat een auto op de stoep.")
    answers = await replies(api, jan, start, EDITED)
    assert [m.text for m in answers] == [
        "Een gewijzigd bericht neem ik niet over. Stuur de nieuwe tekst als nieuw bericht."
    ]
    draft = await draft_of(meldbot, jan)
    assert draft is not None and draft.description == DESCRIPTION
    reference = await complete_from(meldbot, jan, Step.PHOTOS)
    await assert_sent_as_expected(meldbot, reference, jan)


async def test_an_edited_message_without_a_draft_is_answered(meldbot: Harness) -> None:
    api = meldbot.api
    kim = api.user(2201, "Kim")
    sent = api.send_text(kim, "hallo")
    await api.wait_for_message(kim.id, contains=NO_DRAFT)
    start = mark(api, kim)
    api.edit_text(kim, sent, "hallo daar")
    answers = await replies(api, kim, start, EDITED)
    assert len(answers) == 1
    assert await draft_of(meldbot, kim) is None


async def test_a_live_location_is_taken_as_the_first_fix_and_its_updates_stay_quiet(
    meldbot: Harness,
) -> None:
    api = meldbot.api
    lotte = api.user(2202, "Lotte")
    await walk_to(meldbot, lotte, Step.LOCATION)
    live = api.send_location(lotte, *DRIENERVELD, live_period=900)
    placed = await api.wait_for_message(lotte.id, contains="Plek:")
    assert "Drienerveld" in placed.text and QUESTIONS[Step.DESCRIPTION] in placed.text
    await api.wait_idle()
    start = mark(api, lotte)
    for latitude, longitude in (CITY, HENGELO, (52.2300, 6.8800)):
        api.edit_live_location(lotte, live, latitude, longitude)
    await api.wait_idle()
    assert sent_since(api, lotte, start) == []
    draft = await draft_of(meldbot, lotte)
    assert draft is not None and draft.location is not None
    assert draft.location.source is LocationSource.LIVE
    assert (draft.location.latitude, draft.location.longitude) == DRIENERVELD
    api.send_text(lotte, DESCRIPTION)
    await api.wait_for_message(lotte.id, contains=QUESTIONS[Step.PHOTOS])
    confirmation = None
    for todo in (Step.PHOTOS, Step.TIMING, Step.CONTACT, Step.CONFIRM):
        confirmation = await answer(meldbot, lotte, todo)
    assert confirmation is not None and "Dank u wel" in confirmation.text
    assert await report_count(meldbot) == 1


async def test_a_live_location_without_a_draft_is_answered_once(meldbot: Harness) -> None:
    api = meldbot.api
    mila = api.user(2203, "Mila")
    start = mark(api, mila)
    live = api.send_location(mila, *CITY, live_period=600)
    await api.wait_for_message(mila.id, contains=NO_DRAFT)
    for latitude, longitude in (DRIENERVELD, HENGELO):
        api.edit_live_location(mila, live, latitude, longitude)
    await api.wait_idle()
    answers = sent_since(api, mila, start)
    assert len(answers) == 1 and NO_DRAFT in answers[0].text
    assert await draft_of(meldbot, mila) is None


# --- descriptions of the wrong length -----------------------------------------------------


@pytest.mark.parametrize("length", [5000, 10000])
async def test_a_far_too_long_description_is_refused_with_its_length_and_the_draft_kept(
    meldbot: Harness, length: int
) -> None:
    api = meldbot.api
    now = [1_800_000_000.0]
    api.world.clock = lambda: now[0]
    noor = api.user(2300 + length // 5000, "Noor")
    await walk_to(meldbot, noor, Step.DESCRIPTION)
    before = await draft_of(meldbot, noor)
    text = ("Er wordt steeds afval gedumpt naast de container. " * 250)[: length - 1] + "!"
    assert len(text.strip()) == length
    start = mark(api, noor)
    api.send_text(noor, text)
    answers = await replies(api, noor, start, "te lang")
    assert len(answers) == 1
    refusal = answers[0].text
    assert f"Uw beschrijving is te lang ({length} tekens; hooguit 2000)." in refusal
    assert len(refusal) < 200, "the answer is short and does not echo the text"
    draft = await draft_of(meldbot, noor)
    assert before is not None and draft is not None
    # Only the moment of the overlong text is noted (to recognise the rest of a split text).
    unchanged = {"overflow_at", "updated_at"}
    assert draft.model_dump(exclude=unchanged) == before.model_dump(exclude=unchanged)
    assert draft.category_id == "overig" and draft.location is not None
    assert draft.description is None
    now[0] += 60  # the resident types a new, shorter description
    reference = await complete_from(meldbot, noor, Step.DESCRIPTION)
    await assert_sent_as_expected(meldbot, reference, noor)


async def test_a_three_character_description_is_too_short(meldbot: Harness) -> None:
    api = meldbot.api
    otto = api.user(2310, "Otto")
    await walk_to(meldbot, otto, Step.DESCRIPTION)
    before = await draft_of(meldbot, otto)
    start = mark(api, otto)
    api.send_text(otto, "  rot  ")
    answers = await replies(api, otto, start, "te kort")
    assert [m.text for m in answers] == [
        "Uw beschrijving is te kort (3 tekens). Schrijf er minstens 10."
    ]
    assert await draft_of(meldbot, otto) == before
    reference = await complete_from(meldbot, otto, Step.DESCRIPTION)
    await assert_sent_as_expected(meldbot, reference, otto)


# --- places outside Enschede --------------------------------------------------------------


async def test_a_location_in_hengelo_is_refused_with_a_hint_and_a_valid_one_then_works(
    meldbot: Harness,
) -> None:
    api = meldbot.api
    pim = api.user(2400, "Pim")
    await walk_to(meldbot, pim, Step.LOCATION)
    start = mark(api, pim)
    api.send_location(pim, *HENGELO)
    answers = await replies(api, pim, start, "buiten de gemeente Enschede")
    assert len(answers) == 1
    refusal = answers[0]
    assert "typ een postcode of kies een wijk" in refusal.text
    assert refusal.button_texts == ["🗺️ Kies een wijk"]
    draft = await draft_of(meldbot, pim)
    assert draft is not None and draft.location is None
    reference = await complete_from(meldbot, pim, Step.LOCATION)
    await assert_sent_as_expected(meldbot, reference, pim)


async def test_after_a_place_outside_enschede_the_district_list_can_be_used(
    meldbot: Harness,
) -> None:
    api = meldbot.api
    quinn = api.user(2401, "Quinn")
    await walk_to(meldbot, quinn, Step.LOCATION)
    api.send_location(quinn, *HENGELO)
    refusal = await api.wait_for_message(quinn.id, contains="buiten de gemeente")
    wijken = await meldbot.tap(quinn, refusal, "🗺️ Kies een wijk", expect="In welke wijk")
    buurten = await meldbot.tap(quinn, wijken, "Binnensingelgebied", expect="In welke buurt")
    placed = await meldbot.tap(quinn, buurten, "City", expect="Plek:")
    assert "City" in placed.text
    draft = await draft_of(meldbot, quinn)
    assert draft is not None and draft.location is not None
    assert draft.location.neighbourhood.buurt_name == "City"


# --- buttons from old messages ------------------------------------------------------------


async def test_a_category_key_tapped_again_after_choosing_changes_nothing(
    meldbot: Harness,
) -> None:
    api = meldbot.api
    rosa = api.user(2500, "Rosa")
    await walk_to(meldbot, rosa, Step.LOCATION)
    await api.wait_idle()
    before = await draft_of(meldbot, rosa)
    assert before is not None and before.category_id == "overig"
    start = mark(api, rosa)
    # A double tap, or a client that still showed the category keys: the label arrives again.
    api.send_text(rosa, "🧑‍🤝‍🧑 Jongerenoverlast")
    answers = await replies(api, rosa, start, QUESTIONS[Step.LOCATION])
    assert answers[0].text == EXPECTATIONS[Step.LOCATION]
    assert ["📍 Deel mijn locatie"] in (api.reply_keyboard(rosa.id) or [])
    assert await draft_of(meldbot, rosa) == before
    # An inline category button of a question asked before categories were keys is refused
    # once the category is chosen.
    start = mark(api, rosa)
    data = f"d:{before.token}:c:jongerenoverlast"
    pressed = api.press_forged(rosa, rosa, answers[-1].message_id, data)
    assert_alert(await answer_of(api, pressed), STALE)
    await api.wait_idle()
    assert sent_since(api, rosa, start) == []
    assert await draft_of(meldbot, rosa) == before


async def test_a_category_question_with_inline_buttons_from_before_still_takes_a_press(
    meldbot: Harness,
) -> None:
    """A draft begun before the categories moved to the reply keyboard has its question with
    inline buttons in the chat; a press on one still chooses the category."""
    api = meldbot.api
    saar = api.user(2505, "Saar")
    question = await meldbot.say(saar, "/melden", expect=QUESTIONS[Step.CATEGORY])
    await api.wait_idle()
    draft = await draft_of(meldbot, saar)
    assert draft is not None
    pressed = api.press_forged(saar, saar, question.message_id, f"d:{draft.token}:c:overig")
    await api.wait_for_message(saar.id, contains=QUESTIONS[Step.LOCATION])
    assert (await answer_of(api, pressed)).get("show_alert") is None
    chosen = await draft_of(meldbot, saar)
    assert chosen is not None and chosen.category_id == "overig"
    reference = await complete_from(meldbot, saar, Step.LOCATION)
    await assert_sent_as_expected(meldbot, reference, saar)


@pytest.mark.parametrize(
    ("typed", "chosen"),
    [("jongerenoverlast", "jongerenoverlast"), ("Youth nuisance", "jongerenoverlast")],
)
async def test_a_category_typed_without_its_emoji_or_in_english_is_taken(
    meldbot: Harness, typed: str, chosen: str
) -> None:
    api = meldbot.api
    tom = api.user(2506 + (typed == "Youth nuisance"), "Tom")
    await walk_to(meldbot, tom, Step.CATEGORY)
    await meldbot.say(tom, typed, expect=QUESTIONS[Step.LOCATION])
    draft = await draft_of(meldbot, tom)
    assert draft is not None and draft.category_id == chosen


async def test_a_typed_text_that_names_no_category_asks_again_with_the_keys(
    meldbot: Harness,
) -> None:
    api = meldbot.api
    uri = api.user(2508, "Uri")
    await walk_to(meldbot, uri, Step.CATEGORY)
    await api.wait_idle()
    before = await draft_of(meldbot, uri)
    start = mark(api, uri)
    api.send_text(uri, "er is overlast bij mij in de straat")
    answers = await replies(api, uri, start, QUESTIONS[Step.CATEGORY])
    assert answers[0].text == EXPECTATIONS[Step.CATEGORY]
    assert ["❓ Overig"] in (api.reply_keyboard(uri.id) or [])
    assert await draft_of(meldbot, uri) == before


async def test_send_tapped_twice_in_a_row_makes_one_report(meldbot: Harness) -> None:
    api = meldbot.api
    sam = api.user(2501, "Sam")
    summary = await walk_to(meldbot, sam, Step.CONFIRM)
    # Both taps reach the bot while the summary still shows its buttons; the second must be
    # answered with an alert and must not try to edit the (already closed) summary again.
    first = api.press(sam, summary, text="✅ Versturen")
    second = api.press(sam, summary, text="✅ Versturen")
    confirmed = await api.wait_for_message(sam.id, contains="Dank u wel")
    assert "ENS-2026-0001" in confirmed.text
    await api.wait_idle()
    assert (await answer_of(api, first)).get("show_alert") is None
    assert_alert(await answer_of(api, second), STALE)
    assert await report_count(meldbot) == 1
    assert len([m for m in api.messages(sam.id) if "Dank u wel" in m.text]) == 1


async def test_send_pressed_again_after_the_report_was_stored_is_refused(
    meldbot: Harness,
) -> None:
    api = meldbot.api
    tess = api.user(2502, "Tess")
    summary = await walk_to(meldbot, tess, Step.CONFIRM)
    reference = await complete_from(meldbot, tess, Step.CONFIRM)
    await api.wait_idle()
    start = mark(api, tess)
    for label in ("✅ Versturen", "✖️ Annuleren", "✏️ Wijzigen"):
        data = summary.button_data(label)
        assert data is not None
        pressed = api.press_forged(tess, tess, summary.message_id, data)
        assert_alert(await answer_of(api, pressed), STALE)
    await api.wait_idle()
    assert sent_since(api, tess, start) == []
    await assert_sent_as_expected(meldbot, reference, tess)


async def test_buttons_of_a_cancelled_draft_are_refused_and_start_nothing(
    meldbot: Harness,
) -> None:
    api = meldbot.api
    umar = api.user(2503, "Umar")
    timing = await walk_to(meldbot, umar, Step.TIMING)
    await meldbot.say(umar, "/annuleren", expect=CANCELLED)
    await api.wait_idle()
    start = mark(api, umar)
    pressed = api.press(umar, timing, text="Nu")
    assert_alert(await answer_of(api, pressed), STALE)
    await api.wait_idle()
    assert sent_since(api, umar, start) == []
    assert labels(api, umar.id, timing.message_id) == [], "the dead buttons are taken off"
    assert await draft_of(meldbot, umar) is None
    assert await report_count(meldbot) == 0


async def test_buttons_of_an_earlier_draft_do_not_touch_the_new_one(meldbot: Harness) -> None:
    api = meldbot.api
    vera = api.user(2504, "Vera")
    old = await walk_to(meldbot, vera, Step.TIMING)
    await meldbot.say(vera, "/annuleren", expect=CANCELLED)
    await walk_to(meldbot, vera, Step.TIMING)
    await api.wait_idle()
    before = await draft_of(meldbot, vera)
    pressed = api.press(vera, old, text="Nu")
    assert_alert(await answer_of(api, pressed), STALE)
    await api.wait_idle()
    assert await draft_of(meldbot, vera) == before
    reference = await complete_from(meldbot, vera, Step.TIMING)
    await assert_sent_as_expected(meldbot, reference, vera)


# --- forged button presses ----------------------------------------------------------------

GARBAGE = ["hallo", "d:abc", "d:abc:zz:1", "g:lang:xx", "g:c:overig", "g:new", "💥", "d::c:overig"]


@pytest.mark.parametrize("data", GARBAGE)
async def test_a_press_with_garbage_data_is_answered_with_an_alert_and_changes_nothing(
    meldbot: Harness, data: str
) -> None:
    api = meldbot.api
    wim = api.user(2600 + GARBAGE.index(data), "Wim")
    categories = await meldbot.say(wim, "/melden", expect=QUESTIONS[Step.CATEGORY])
    await api.wait_idle()
    before = await draft_of(meldbot, wim)
    start = mark(api, wim)
    pressed = api.press_forged(wim, wim, categories.message_id, data)
    assert_alert(await answer_of(api, pressed), UNKNOWN_BUTTON)
    await api.wait_idle()
    assert sent_since(api, wim, start) == []
    assert await draft_of(meldbot, wim) == before
    assert ["❓ Overig"] in (api.reply_keyboard(wim.id) or []), "the category keys stay"


async def test_a_forged_draft_button_with_a_wrong_token_is_refused_and_changes_nothing(
    meldbot: Harness,
) -> None:
    api = meldbot.api
    xander = api.user(2620, "Xander")
    categories = await meldbot.say(xander, "/melden", expect=QUESTIONS[Step.CATEGORY])
    await api.wait_idle()
    before = await draft_of(meldbot, xander)
    assert before is not None
    wrong = "zzzzzz" if before.token != "zzzzzz" else "yyyyyy"
    start = mark(api, xander)
    for message_id in (categories.message_id, 999):
        pressed = api.press_forged(xander, xander, message_id, f"d:{wrong}:c:overig")
        assert_alert(await answer_of(api, pressed), STALE)
    await api.wait_idle()
    assert sent_since(api, xander, start) == []
    assert await draft_of(meldbot, xander) == before
    assert ["❓ Overig"] in (api.reply_keyboard(xander.id) or []), "the live question stays"
    reference = await complete_from(meldbot, xander, Step.CATEGORY)
    await assert_sent_as_expected(meldbot, reference, xander)


async def test_a_forged_button_with_the_own_token_but_a_wrong_value_or_step_is_refused(
    meldbot: Harness,
) -> None:
    api = meldbot.api
    yara = api.user(2621, "Yara")
    categories = await meldbot.say(yara, "/melden", expect=QUESTIONS[Step.CATEGORY])
    await api.wait_idle()
    before = await draft_of(meldbot, yara)
    assert before is not None
    token = before.token
    cases = [
        (f"d:{token}:c:bestaatniet", UNKNOWN_BUTTON),
        (f"d:{token}:ok:", STALE),
        (f"d:{token}:t:now", STALE),
        (f"d:{token}:e:category", STALE),
    ]
    start = mark(api, yara)
    for data, alert in cases:
        pressed = api.press_forged(yara, yara, categories.message_id, data)
        assert_alert(await answer_of(api, pressed), alert)
    await api.wait_idle()
    assert sent_since(api, yara, start) == []
    assert await draft_of(meldbot, yara) == before
    assert await report_count(meldbot) == 0


async def test_a_forged_button_with_another_residents_token_is_refused(meldbot: Harness) -> None:
    api = meldbot.api
    anna = api.user(2622, "Anna")
    bram = api.user(2623, "Bram")
    await walk_to(meldbot, anna, Step.CONFIRM)
    categories = await meldbot.say(bram, "/melden", expect=QUESTIONS[Step.CATEGORY])
    await api.wait_idle()
    annas = await draft_of(meldbot, anna)
    brams = await draft_of(meldbot, bram)
    assert annas is not None and brams is not None
    anna_start, bram_start = mark(api, anna), mark(api, bram)
    for data in (f"d:{annas.token}:ok:", f"d:{annas.token}:x:", f"d:{annas.token}:c:overig"):
        pressed = api.press_forged(bram, bram, categories.message_id, data)
        assert_alert(await answer_of(api, pressed), STALE)
    await api.wait_idle()
    assert sent_since(api, anna, anna_start) == []
    assert sent_since(api, bram, bram_start) == []
    assert await draft_of(meldbot, anna) == annas
    assert await draft_of(meldbot, bram) == brams
    assert await report_count(meldbot) == 0


GLOBAL_BUTTONS = ["g:new:", "g:my:", "g:forget:yes", "g:lang:en"]


@pytest.mark.parametrize("data", GLOBAL_BUTTONS)
async def test_a_forged_press_in_a_group_is_refused_and_shows_nothing_there(
    meldbot: Harness, data: str
) -> None:
    api = meldbot.api
    zoe = api.user(2630 + GLOBAL_BUTTONS.index(data), "Zoe")
    await walk_to(meldbot, zoe, Step.CONFIRM)
    await complete_from(meldbot, zoe, Step.CONFIRM)
    group = api.group(-4630, "Buurtapp Roombeek")
    api.add_bot_to_group(zoe, group)
    await api.wait_idle()
    group_start = len(api.messages(group.id))
    pressed = api.press_forged(zoe, group, 1, data)
    assert_alert(await answer_of(api, pressed), UNKNOWN_BUTTON)
    await api.wait_idle()
    assert api.messages(group.id)[group_start:] == []
    assert await draft_of(meldbot, zoe) is None
    assert await services(meldbot).residents.language(zoe.id) is None
    assert len(await services(meldbot).reports.list_for_user(zoe.id)) == 1


# --- commands in the wrong place ----------------------------------------------------------


GROUP_COMMANDS = ["/melden", "/start", "/help", "/annuleren", "/melden@meldbot_test_bot", "/onzin"]


@pytest.mark.parametrize("command", GROUP_COMMANDS)
async def test_a_command_in_a_group_points_to_a_private_chat(
    meldbot: Harness, command: str
) -> None:
    api = meldbot.api
    anton = api.user(2710 + GROUP_COMMANDS.index(command), "Anton")
    group = api.group(-4710 - GROUP_COMMANDS.index(command), "Bewoners Boddenkamp")
    api.add_bot_to_group(anton, group)
    await api.wait_idle()
    group_start = len(api.messages(group.id))
    sent = api.send_text(anton, command, chat=group)
    pointer = await api.wait_for_message(group.id, contains="privégesprek")
    assert BOT_LINK in pointer.text
    assert pointer.message["reply_to_message"]["message_id"] == sent["message_id"]
    await api.wait_idle()
    assert len(api.messages(group.id)[group_start:]) == 1
    assert api.messages(anton.id) == []
    assert await draft_of(meldbot, anton) is None


async def test_a_command_in_a_group_keeps_the_draft_in_the_private_chat(
    meldbot: Harness,
) -> None:
    api = meldbot.api
    bo = api.user(2701, "Bo")
    await walk_to(meldbot, bo, Step.DESCRIPTION)
    before = await draft_of(meldbot, bo)
    group = api.group(-4701, "Straatgroep")
    api.add_bot_to_group(bo, group)
    start = mark(api, bo)
    api.send_text(bo, "/annuleren", chat=group)
    await api.wait_for_message(group.id, contains=BOT_LINK)
    await api.wait_idle()
    assert sent_since(api, bo, start) == []
    assert await draft_of(meldbot, bo) == before


async def test_an_unknown_command_in_private_points_to_help(meldbot: Harness) -> None:
    api = meldbot.api
    cas = api.user(2702, "Cas")
    start = mark(api, cas)
    api.send_text(cas, "/meldne")
    answers = await replies(api, cas, start, "Die opdracht ken ik niet")
    assert [m.text for m in answers] == ["Die opdracht ken ik niet. Kijk bij /help wat ik kan."]


async def test_an_unknown_command_mid_report_keeps_the_draft(meldbot: Harness) -> None:
    api = meldbot.api
    daan = api.user(2703, "Daan")
    await walk_to(meldbot, daan, Step.DESCRIPTION)
    before = await draft_of(meldbot, daan)
    start = mark(api, daan)
    api.send_text(daan, "/verstuur nu")
    answers = await replies(api, daan, start, "/help")
    assert len(answers) == 1
    assert await draft_of(meldbot, daan) == before
    reference = await complete_from(meldbot, daan, Step.DESCRIPTION)
    await assert_sent_as_expected(meldbot, reference, daan)


# --- HTML in what residents type ----------------------------------------------------------

HTML_DESCRIPTION = "Op de muur staat <b>vet</b> & <script>alert(1)</script> geklad, al weken."


async def test_html_in_a_description_is_shown_literally_in_the_summary(meldbot: Harness) -> None:
    api = meldbot.api
    eline = api.user(2800, "Eline")
    await walk_to(meldbot, eline, Step.DESCRIPTION)
    api.send_text(eline, HTML_DESCRIPTION)
    await api.wait_for_message(eline.id, contains=QUESTIONS[Step.PHOTOS])
    for todo in (Step.PHOTOS, Step.TIMING):
        await answer(meldbot, eline, todo)
    summary = await answer(meldbot, eline, Step.CONTACT)
    assert HTML_DESCRIPTION in summary.text
    assert summary.html is not None and "&lt;script&gt;" in summary.html
    assert "&amp;" in summary.html
    confirmed = await answer(meldbot, eline, Step.CONFIRM)
    reference = confirmed.text.split("nummer ")[1].split(".")[0]
    report = await services(meldbot).reports.get_by_reference(reference)
    assert report is not None and report.description == HTML_DESCRIPTION


async def test_html_in_a_typed_place_is_echoed_literally(meldbot: Harness) -> None:
    api = meldbot.api
    floor = api.user(2801, "Floor")
    await walk_to(meldbot, floor, Step.LOCATION)
    api.send_text(floor, "<i>Nergens</i> & <b>straat</b> 3")
    answer_ = await api.wait_for_message(floor.id, contains="niet vinden")
    assert "«<i>Nergens</i> & <b>straat</b> 3»" in answer_.text
    draft = await draft_of(meldbot, floor)
    assert draft is not None and draft.location is None


# --- cancelling ---------------------------------------------------------------------------


@pytest.mark.parametrize("step", ORDER)
async def test_annuleren_at_any_step_discards_the_draft(meldbot: Harness, step: Step) -> None:
    api = meldbot.api
    gerrit = api.user(2900 + ORDER.index(step), "Gerrit")
    await walk_to(meldbot, gerrit, step)
    assert await draft_of(meldbot, gerrit) is not None
    start = mark(api, gerrit)
    api.send_text(gerrit, "/annuleren")
    answers = await replies(api, gerrit, start, CANCELLED)
    assert len(answers) == 1
    assert api.reply_keyboard(gerrit.id) is None
    assert await draft_of(meldbot, gerrit) is None
    assert await report_count(meldbot) == 0
    fresh = await meldbot.say(gerrit, "/melden", expect=QUESTIONS[Step.CATEGORY])
    assert RESUMING not in fresh.text
    assert all(RESUMING not in m.text for m in sent_since(api, gerrit, start))


async def test_the_cancel_button_of_the_location_keyboard_discards_the_draft(
    meldbot: Harness,
) -> None:
    api = meldbot.api
    hugo = api.user(2910, "Hugo")
    await walk_to(meldbot, hugo, Step.LOCATION)
    assert api.reply_keyboard(hugo.id) == [
        ["📍 Deel mijn locatie"],
        ["🗺️ Kies een wijk"],
        ["✖️ Annuleren"],
    ]
    start = mark(api, hugo)
    api.send_text(hugo, "✖️ Annuleren")
    answers = await replies(api, hugo, start, CANCELLED)
    assert len(answers) == 1
    assert api.reply_keyboard(hugo.id) is None
    assert await draft_of(meldbot, hugo) is None


async def test_the_cancel_button_under_the_summary_discards_the_draft(meldbot: Harness) -> None:
    api = meldbot.api
    iris = api.user(2911, "Iris")
    summary = await walk_to(meldbot, iris, Step.CONFIRM)
    await meldbot.tap(iris, summary, "✖️ Annuleren", expect=CANCELLED)
    assert labels(api, iris.id, summary.message_id) == []
    assert await draft_of(meldbot, iris) is None
    assert await report_count(meldbot) == 0


async def test_cancel_in_english_discards_the_draft_too(meldbot: Harness) -> None:
    api = meldbot.api
    jay = api.user(2912, "Jay")
    await walk_to(meldbot, jay, Step.PHOTOS)
    await meldbot.say(jay, "/cancel", expect=CANCELLED)
    assert await draft_of(meldbot, jay) is None


async def test_annuleren_without_a_draft_says_there_is_nothing_to_cancel(
    meldbot: Harness,
) -> None:
    api = meldbot.api
    koen = api.user(2913, "Koen")
    start = mark(api, koen)
    api.send_text(koen, "/annuleren")
    answers = await replies(api, koen, start, "geen melding in voorbereiding")
    assert [m.text for m in answers] == [
        "Er is geen melding in voorbereiding. Met /melden begint u een nieuwe."
    ]


# --- help, start and report at any moment -------------------------------------------------


@pytest.mark.parametrize("step", [None, Step.CATEGORY, Step.DESCRIPTION, Step.CONFIRM])
@pytest.mark.parametrize(
    ("command", "expected"), [("/help", "Zo werkt Meldbot"), ("/start", "Welkom bij Meldbot")]
)
async def test_help_and_start_always_answer_and_keep_the_draft(
    meldbot: Harness, step: Step | None, command: str, expected: str
) -> None:
    api = meldbot.api
    user_id = (
        3000 + (0 if step is None else 1 + ORDER.index(step)) + (10 if command == "/start" else 0)
    )
    lieke = api.user(user_id, "Lieke")
    if step is not None:
        await walk_to(meldbot, lieke, step)
    before = await draft_of(meldbot, lieke)
    start = mark(api, lieke)
    api.send_text(lieke, command)
    answers = await replies(api, lieke, start, expected)
    assert len(answers) == 1
    assert await draft_of(meldbot, lieke) == before
    if step is not None:
        reference = await complete_from(meldbot, lieke, step)
        await assert_sent_as_expected(meldbot, reference, lieke)


@pytest.mark.parametrize("step", [Step.LOCATION, Step.DESCRIPTION, Step.TIMING, Step.CONFIRM])
async def test_melden_mid_report_resumes_the_draft_instead_of_starting_over(
    meldbot: Harness, step: Step
) -> None:
    api = meldbot.api
    mark_user = api.user(3100 + ORDER.index(step), "Mark")
    await walk_to(meldbot, mark_user, step)
    before = await draft_of(meldbot, mark_user)
    start = mark(api, mark_user)
    api.send_text(mark_user, "/melden")
    answers = await replies(api, mark_user, start, QUESTIONS[step])
    assert answers[0].text.startswith(RESUMING)
    assert len(answers) == 2
    assert QUESTIONS[step] in answers[1].text
    assert await draft_of(meldbot, mark_user) == before
    reference = await complete_from(meldbot, mark_user, step)
    await assert_sent_as_expected(meldbot, reference, mark_user)


# --- texts Telegram splits, and captions ----------------------------------------------------


async def test_a_pasted_text_split_by_telegram_is_refused_once_and_its_tail_is_not_taken(
    meldbot: Harness,
) -> None:
    api = meldbot.api
    now = [1_800_000_000.0]
    api.world.clock = lambda: now[0]
    tess = api.user(2601, "Tess")
    await walk_to(meldbot, tess, Step.DESCRIPTION)
    start = mark(api, tess)
    api.send_text(tess, "a" * 4096)
    api.send_text(tess, "b" * 904)
    await api.wait_for_message(tess.id, contains="te lang (4096 tekens")
    await api.wait_idle()
    assert len(sent_since(api, tess, start)) == 1
    draft = await draft_of(meldbot, tess)
    assert draft is not None and draft.description is None
    now[0] += 60
    api.send_text(tess, DESCRIPTION)
    await api.wait_for_message(tess.id, contains=QUESTIONS[Step.PHOTOS])
    draft = await draft_of(meldbot, tess)
    assert draft is not None and draft.description == DESCRIPTION


async def test_a_photo_caption_is_added_to_the_description(meldbot: Harness) -> None:
    api = meldbot.api
    uma = api.user(2602, "Uma")
    await walk_to(meldbot, uma, Step.PHOTOS)
    api.send_photo(uma, caption="De scherven liggen bij de <ingang>.")
    await api.wait_for_message(uma.id, contains="bijschrift van de foto is aan uw beschrijving")
    await api.wait_for_message(uma.id, contains="Foto 1 van 3")
    draft = await draft_of(meldbot, uma)
    assert draft is not None
    assert draft.description == f"{DESCRIPTION}\nDe scherven liggen bij de <ingang>."
    assert len(draft.photo_file_ids) == 1
