"""Crafted callback data never raises and never decodes: every codec refuses it."""

from __future__ import annotations

import pytest

from handlers.partner.codec import decode_press
from handlers.proactive.codecs import decode_followup, decode_survey, decode_wijk
from handlers.resident.callbacks import decode

HOSTILE = [
    None,
    "",
    ":",
    "p:²:cl:",  # a superscript digit is a digit to str.isdigit()
    "p:٣:cl:",  # an Arabic-Indic digit
    "p:99999999999999999999:cl:",  # beyond SQLite's integers
    "p:0:cl:",
    "p:-1:cl:",
    "p:12:cl:a\n",
    "p:12:cl:é",
    "p:12:xx:",
    "p:12:cl",
    "f:٣:1:on",
    "f:1:0:on",
    "f:99999999999999999999:1:on",
    "s:１:y",  # a full-width digit
    "s:1:r٣",
    "tw:WK٠١٥٣٠٠",
    "d:abc:cat:x\n",
    "d:abc\n:cat:x",
    "g:lang:nl\n",
    "d:ab:cat:" + "x" * 60,
    "\x00",
    "p:1:cl:" + "a" * 200,
]
DECODERS = [decode_press, decode_followup, decode_survey, decode_wijk, decode]


@pytest.mark.parametrize("data", HOSTILE)
@pytest.mark.parametrize("decoder", DECODERS, ids=lambda d: d.__module__ + "." + d.__name__)
def test_crafted_callback_data_decodes_to_nothing(decoder: object, data: str | None) -> None:
    assert decoder(data) is None  # type: ignore[operator]


def test_well_formed_presses_still_decode() -> None:
    assert decode_press("p:12:cl:") is not None
    assert decode_followup("f:12:1:on") is not None
    assert decode_survey("s:12:y") is not None
    assert decode_wijk("tw:WK015300") is not None
