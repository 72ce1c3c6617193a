"""Danger words typed outside a report point to 112, with the tap-to-call contact."""

from __future__ import annotations

import pytest

from handlers.texts import T, plain
from reports.models import Language
from tests.e2e.harness import Harness
from tests.e2e.steps.languages import DANGER as DANGER_IN_OTHER_LANGUAGES
from tests.e2e.steps.languages import fragment

DANGER = {
    "nl": "iemand met een mes, nu!",
    "en": "Someone with a knife outside, now!",
    **DANGER_IN_OTHER_LANGUAGES,
}


@pytest.mark.parametrize("code", sorted(DANGER))
async def test_danger_words_without_a_report_get_112_in_the_residents_language(
    meldbot: Harness, code: str
) -> None:
    language = Language(code)
    api = meldbot.api
    resident = api.user(3300 + sorted(DANGER).index(code), "Noor", language_code=code)

    warned = await meldbot.say(resident, DANGER[code], expect="112")
    contact = await api.wait_for_message(resident.id)

    assert fragment(T.URGENT_NO_REPORT, language) in warned.text
    assert ("/melden" if code == "nl" else "/report") in warned.text
    assert contact.method == "sendContact" and contact.params["phone_number"] == "112"
    assert contact.params["first_name"] == plain(T.URGENT_CONTACT_NAME, language)
    await api.wait_idle()
    said = [m.text for m in api.messages(resident.id)]
    assert len(said) == 2, f"only the 112 answer and the contact, not the generic reply: {said}"


async def test_a_danger_word_in_a_photo_caption_outside_a_report_gets_112(
    meldbot: Harness,
) -> None:
    api = meldbot.api
    resident = api.user(3310, "Rik")
    api.send_photo(resident, caption="Hier ligt een wapen, nu!")
    warned = await api.wait_for_message(resident.id, contains="Bel direct 112")
    assert "/melden" in warned.text
    contact = await api.wait_for_message(resident.id)
    assert contact.params["phone_number"] == "112"


async def test_a_text_without_danger_words_still_gets_the_way_to_report(
    meldbot: Harness,
) -> None:
    resident = meldbot.api.user(3311, "Sanne")
    reply = await meldbot.say(resident, "Hallo, hoe werkt dit?", expect="Wilt u iets melden")
    assert "Bel direct 112" not in reply.text
