"""Urgent words and categories point the resident to 112."""

from __future__ import annotations

import pytest

from reports.categories import Category, UrgencyDetector

DETECTOR = UrgencyDetector(["brand", "mes", "nu", "knife", "now", "geweld"])
FIRE = Category(id="brandgevaar", name_nl="Brandgevaar", name_en="Fire hazard", urgent=True)
NOISE = Category(id="geluidsoverlast", name_nl="Geluidsoverlast", name_en="Noise")


def test_an_urgent_category_is_urgent_without_any_text() -> None:
    assert DETECTOR.is_urgent(FIRE, None)


@pytest.mark.parametrize(
    "text",
    [
        "Er is NU een vechtpartij",
        "Iemand loopt met een mes rond",
        "Someone has a KNIFE.",
        "Het gaat om geweld bij de ingang",
        "Brand! in de container",
    ],
)
def test_urgent_words_are_recognised_in_any_case(text: str) -> None:
    assert DETECTOR.is_urgent(NOISE, text)


@pytest.mark.parametrize(
    "text",
    [
        "Harde muziek elke nacht bij de buren",
        "Messing around with the bins",  # 'mes' only as part of a word
        "Nummerbord ontbreekt",  # 'nu' inside a word
        "brandweerkazerne staat er vlakbij",  # 'brand' inside a word
    ],
)
def test_words_inside_other_words_do_not_count(text: str) -> None:
    assert not DETECTOR.is_urgent(NOISE, text)


ARABIC = UrgencyDetector(["سكين", "حريق"])


@pytest.mark.parametrize(
    "text",
    ["رجل يهدد الناس بسكين", "هناك حريق الآن", "رأيت رجلا والسكين في يده", "لقد رأيت السكين"],
)
def test_an_arabic_danger_word_counts_with_the_article_or_a_preposition_written_onto_it(
    text: str,
) -> None:
    assert ARABIC.is_urgent(NOISE, text)


@pytest.mark.parametrize("text", ["السكينة في الحي مطلوبة", "سكينا"])
def test_an_arabic_word_that_only_begins_like_a_danger_word_does_not_count(text: str) -> None:
    assert not ARABIC.is_urgent(NOISE, text)
