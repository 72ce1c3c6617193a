"""The text catalogue is complete in both languages and safe to render."""

from __future__ import annotations

import pytest

from handlers.texts import CATALOGUE, Html, T, placeholders, plain, t
from reports.models import Language


@pytest.mark.parametrize("key", list(T))
def test_every_text_exists_in_every_language_with_the_same_placeholders(key: T) -> None:
    texts = CATALOGUE[key]
    assert set(texts) == set(Language)
    assert all(text.strip() for text in texts.values())
    assert placeholders(texts[Language.NL]) == placeholders(texts[Language.EN])


def test_the_catalogue_holds_no_key_twice_and_no_orphan() -> None:
    assert set(CATALOGUE) == set(T)


def test_user_values_are_escaped_for_html() -> None:
    rendered = t(T.LOCATION_NOT_FOUND, Language.NL, query="<b>x</b> & y", municipality="E")
    assert "&lt;b&gt;x&lt;/b&gt; &amp; y" in rendered
    assert "<b>x</b>" not in rendered


def test_html_values_are_not_escaped_twice() -> None:
    rendered = t(T.CHOSEN, Language.EN, question=Html("<b>Q</b>"), answer="a<b")
    assert rendered.startswith("<b>Q</b>")
    assert "a&lt;b" in rendered


def test_plain_texts_keep_characters_as_typed() -> None:
    assert plain(T.BTN_CONTACT_YES, Language.EN) == "Yes, that's fine"
