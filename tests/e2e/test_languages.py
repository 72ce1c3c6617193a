"""Residents report in German, Turkish, Arabic and Polish, end to end, in their own language."""

from __future__ import annotations

import json

import pytest

from handlers.texts import T, plain
from reports.models import Language
from tests.e2e.harness import Harness
from tests.e2e.steps.languages import DANGER, fragment

DESCRIPTIONS = {
    "de": "Jeden Abend lassen Jugendliche am Spielplatz Flaschen zerbrechen.",
    "tr": "Her akşam gençler oyun parkında şişeleri kırıyor ve bağırıyor.",
    "ar": "كل مساء يكسر شباب الزجاجات في الملعب ويصرخون بصوت عال.",
    "pl": "Każdego wieczoru młodzież tłucze butelki na placu zabaw.",
}


@pytest.mark.parametrize("code", sorted(DESCRIPTIONS))
async def test_a_resident_reports_in_their_telegram_language_from_start_to_reference(
    meldbot: Harness, code: str
) -> None:
    language = Language(code)
    api = meldbot.api
    resident = api.user(3100 + sorted(DESCRIPTIONS).index(code), "Sam", language_code=code)
    assert meldbot.bot is not None
    config = meldbot.bot.services.config
    youth = config.category("jongerenoverlast")
    assert youth is not None and youth.name(language) != youth.name_nl

    await meldbot.say(resident, "/report", expect=fragment(T.ASK_CATEGORY, language))
    label = f"{youth.emoji} {youth.name(language)}"
    await meldbot.tap_key(resident, label, expect=fragment(T.ASK_LOCATION, language))
    api.send_location(resident, 52.2196, 6.8937)
    await api.wait_for_message(resident.id, contains=fragment(T.ASK_DESCRIPTION, language))
    photos = await meldbot.say(
        resident, DESCRIPTIONS[code], expect=fragment(T.ASK_PHOTOS, language)
    )
    timing = await meldbot.tap(
        resident,
        photos,
        plain(T.BTN_NO_PHOTOS, language),
        expect=fragment(T.ASK_TIMING, language),
    )
    contact = await meldbot.tap(
        resident,
        timing,
        plain(T.TIMING_RECURRING, language),
        expect=fragment(T.ASK_CONTACT, language),
    )
    summary = await meldbot.tap(
        resident, contact, plain(T.BTN_CONTACT_NO, language), expect=fragment(T.SUMMARY, language)
    )
    assert youth.name(language) in summary.text and DESCRIPTIONS[code] in summary.text
    confirmed = await meldbot.tap(
        resident, summary, plain(T.BTN_CONFIRM, language), expect="ENS-2026-0001"
    )

    assert fragment(T.CONFIRMED, language) in confirmed.text
    stored = await meldbot.bot.services.reports.get_by_reference("ENS-2026-0001")
    assert stored is not None and stored.language == language


@pytest.mark.parametrize("code", sorted(DANGER))
async def test_danger_words_in_the_residents_language_point_to_112(
    meldbot: Harness, code: str
) -> None:
    language = Language(code)
    api = meldbot.api
    resident = api.user(3200 + sorted(DANGER).index(code), "Kim", language_code=code)
    await meldbot.say(resident, "/report", expect=fragment(T.ASK_CATEGORY, language))
    await meldbot.tap_key(resident, "❓ " + _other(meldbot, language))
    api.send_location(resident, 52.2196, 6.8937)
    await api.wait_for_message(resident.id, contains=fragment(T.ASK_DESCRIPTION, language))

    warned = await meldbot.say(resident, DANGER[code], expect="112")

    assert fragment(T.URGENT, language) in warned.text


def _other(run: Harness, language: Language) -> str:
    """Return the name of the category "other" in a language."""
    assert run.bot is not None
    other = run.bot.services.config.category("overig")
    assert other is not None
    return other.name(language)


async def test_the_language_list_names_every_language_in_itself_and_switches(
    meldbot: Harness,
) -> None:
    api = meldbot.api
    resident = api.user(3300, "Lea", language_code="nl")
    prompt = await meldbot.say(resident, "/taal", expect="In welke taal")
    names = [
        plain(T.LANGUAGE_NAME, Language(code)) for code in ("nl", "en", "ar", "de", "pl", "tr")
    ]
    assert [label for label, _ in prompt.buttons] == names

    switched = await meldbot.tap(resident, prompt, plain(T.LANGUAGE_NAME, Language("de")))

    assert fragment(T.LANGUAGE_SET, Language("de")) in switched.text
    help_text = await meldbot.say(resident, "/help")
    assert fragment(T.HELP, Language("de")) in help_text.text


async def test_the_command_menu_is_published_in_every_language(meldbot: Harness) -> None:
    menus = meldbot.api.world.commands
    private = json.dumps({"type": "all_private_chats"}, sort_keys=True)
    for code in ("nl", "en", "de", "tr", "ar", "pl"):
        language = Language(code)
        menu = menus[(private, code)]
        report = next(c for c in menu if c["command"] in ("melden", "report"))
        assert report["description"] == plain(T.CMD_REPORT, language)
