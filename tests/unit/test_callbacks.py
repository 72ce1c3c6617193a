"""Button data round-trips, fits in 64 bytes, and forged data is refused."""

from __future__ import annotations

import pytest

from handlers.resident.callbacks import DRAFT_ACTIONS, Action, Button, decode


@pytest.mark.parametrize("action", sorted(DRAFT_ACTIONS))
def test_draft_buttons_round_trip_with_their_token(action: Action) -> None:
    button = Button(action, "drank-en-drugsoverlast", "a1b2c3")
    data = button.encode()
    assert len(data.encode()) <= 64
    assert decode(data) == button


def test_general_buttons_round_trip_without_token() -> None:
    assert decode(Button(Action.LANGUAGE, "en").encode()) == Button(Action.LANGUAGE, "en")


@pytest.mark.parametrize(
    "data",
    [
        None,
        "",
        "garbage",
        "d:abc:zz:1",
        "g:c:youth",  # a draft action without a token
        "d:abc:lang:en",  # a general action dressed as a draft action
        "d:ab/c:c:x",
        "d:abc:c:" + "x" * 41,
        "g:lang:en:extra",
        "d:abc:c:<script>",
        "é" * 40,
    ],
)
def test_forged_or_foreign_data_is_not_a_button(data: str | None) -> None:
    assert decode(data) is None


def test_a_value_that_would_break_the_format_cannot_be_encoded() -> None:
    with pytest.raises(ValueError):
        Button(Action.CATEGORY, "a:b", "abc").encode()
    with pytest.raises(ValueError):
        Button(Action.CATEGORY, "x").encode()
