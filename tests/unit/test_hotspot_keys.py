"""The hotspot buttons' callback data: what is encoded decodes, nothing forged does."""

from __future__ import annotations

import pytest

from handlers.coordinator.hotspot_keys import (
    DismissReason,
    HotspotButton,
    HotspotPress,
    decode_hotspot_press,
    hotspot_buttons,
    reason_buttons,
)
from handlers.texts import languages
from reports.models import Language


def every_button_data(hotspot_id: int) -> list[str]:
    keyboards = [
        hotspot_buttons(hotspot_id, language, seen=seen)
        for language in languages()
        for seen in (False, True)
    ] + [reason_buttons(hotspot_id, Language.NL, seen=seen) for seen in (False, True)]
    return [
        str(button.callback_data)
        for keyboard in keyboards
        for row in keyboard.inline_keyboard
        for button in row
    ]


def test_every_button_decodes_to_what_it_encodes_and_fits_telegram() -> None:
    for data in every_button_data(999_999_999_999):
        press = decode_hotspot_press(data)
        assert press is not None and press.encode() == data
        assert len(data.encode()) <= 64
    assert decode_hotspot_press("h:7:di:event") == HotspotPress(
        7, HotspotButton.DISMISS, DismissReason.EVENT
    )
    assert decode_hotspot_press("h:7:bk:seen") == HotspotPress(7, HotspotButton.BACK, seen=True)


def test_the_seen_button_goes_once_the_hotspot_was_seen() -> None:
    fresh = [b.text for row in hotspot_buttons(3, Language.NL).inline_keyboard for b in row]
    seen = [
        b.text for row in hotspot_buttons(3, Language.NL, seen=True).inline_keyboard for b in row
    ]
    assert "👀 Gezien" in fresh and "👀 Gezien" not in seen
    assert "🤝 Gezamenlijke aanpak" in seen and "🚫 Niet relevant" in seen


@pytest.mark.parametrize(
    "data",
    [
        None,
        "",
        "h:²:se:",
        "h:0:se:",
        "h:99999999999999999999:se:",
        "h:7:xx:",
        "h:7:di:",
        "h:7:di:whatever",
        "h:7:se:known",
        "h:7:jo:seen",
        "h:7:dm:known",
        "p:7:cl:",
        "h:7:se",
        "h:7:mp:seen",
    ],
)
def test_forged_data_decodes_to_nothing(data: str | None) -> None:
    assert decode_hotspot_press(data) is None
