"""A press that waited while the bot was down still takes effect, though it can't be answered."""

from __future__ import annotations

import time
from collections.abc import Callable

from tests.e2e.harness import Harness
from tests.e2e.steps.residents import DESCRIPTION, choose_category

TOO_LATE = 200.0
"""Seconds after the press: Telegram answers presses for 150 s only."""


async def test_a_timing_chosen_while_the_bot_was_down_is_taken_after_the_restart(
    meldbot: Harness,
) -> None:
    api = meldbot.api
    anna = api.user(1801, "Anna")
    await choose_category(meldbot, anna)
    await meldbot.say(anna, "Oude Markt 1", expect="Wat is er aan de hand")
    photos = await meldbot.say(anna, DESCRIPTION, expect="Foto's")
    timing = await meldbot.tap(anna, photos, "Geen foto's", expect="Wanneer speelt het")
    await meldbot.stop()
    pressed = api.press(anna, timing, text="Nu")
    later: Callable[[], float] = lambda: time.time() + TOO_LATE  # noqa: E731
    api.world.clock = later
    api.expect_refusal("query is too old")

    await meldbot.start()

    await api.wait_for_message(anna.id, contains="Mogen we contact")
    assert meldbot.bot is not None
    draft = await meldbot.bot.services.drafts.get(anna.id)
    assert draft is not None and draft.timing is not None and draft.timing.value == "now"
    assert api.answered(pressed) is None  # Telegram refused the answer; the choice still counts
    errors = [m for m in api.messages(anna.id) if "ging iets mis" in m.text]
    assert errors == [], "the refused answer must not reach the error handler"
