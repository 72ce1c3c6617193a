"""Survey buttons encode and decode, tips are picked steadily, and the config ships both."""

from __future__ import annotations

from pathlib import Path

import pytest

from config.errors import ConfigError
from config.loading import load_municipality
from config.localized import SurveyReason
from handlers.proactive.codecs import SurveyPress, decode_survey
from reports.models import Language
from reports.survey import FeelsUnsafe, SurveyState, pick_tip


@pytest.mark.parametrize(
    "press",
    [
        SurveyPress(12, satisfied=True),
        SurveyPress(12, satisfied=False),
        SurveyPress(999_999_999_999, reason=10),
        SurveyPress(3, unsafe=FeelsUnsafe.OFTEN),
        SurveyPress(3, unsafe=FeelsUnsafe.SOMETIMES),
        SurveyPress(3, unsafe=FeelsUnsafe.NEVER),
        SurveyPress(3, skip=True),
    ],
)
def test_every_survey_press_survives_its_callback_data(press: SurveyPress) -> None:
    data = press.encode()
    assert len(data.encode()) <= 64
    assert decode_survey(data) == press


@pytest.mark.parametrize(
    "data", [None, "", "s:0:y", "s:1:x", "s:1:r", "s:1:r123", "s:1:ux", "f:1:1:on", "s:1:y:"]
)
def test_other_callback_data_is_no_survey_press(data: str | None) -> None:
    assert decode_survey(data) is None


def test_each_press_counts_only_in_the_state_that_asks_for_it() -> None:
    assert SurveyPress(1, satisfied=True).state is SurveyState.PENDING
    assert SurveyPress(1, reason=0).state is SurveyState.REASONS
    assert SurveyPress(1, unsafe=FeelsUnsafe.NEVER).state is SurveyState.UNSAFE
    assert SurveyPress(1, skip=True).state is SurveyState.COMMENT


def test_a_tip_is_picked_the_same_way_for_the_same_seed_and_none_without_tips() -> None:
    tips = ["a", "b", "c"]
    assert pick_tip(tips, 4) == pick_tip(tips, 4) == "b"
    assert pick_tip([], 4) is None


def test_every_shipped_category_has_a_tip_in_both_languages() -> None:
    config = load_municipality()
    for category in config.categories:
        nl = config.tips_for(category.id, Language.NL)
        en = config.tips_for(category.id, Language.EN)
        assert nl and len(nl) == len(en), category.id


def test_the_shipped_reasons_are_signalens_and_the_first_four_negative_ones_reopen() -> None:
    reasons = load_municipality().survey.reasons
    positive = [r.id for r in reasons if r.positive]
    negative = [r for r in reasons if not r.positive]
    assert len(positive) == 5 and len(negative) == 6
    assert [r.reopen for r in negative] == [True, True, True, True, False, False]


def test_a_positive_reason_cannot_reopen() -> None:
    with pytest.raises(ValueError, match="positive"):
        SurveyReason(id="x", nl="x", en="x", positive=True, reopen=True)


def test_tips_of_uneven_length_are_refused(tmp_path: Path) -> None:
    override = tmp_path / "tips.toml"
    override.write_text('[tips.overig]\nnl = ["a", "b"]\nen = ["a"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"tips\.overig.*same number"):
        load_municipality(override)


def test_tips_for_an_unknown_category_are_refused(tmp_path: Path) -> None:
    override = tmp_path / "tips.toml"
    override.write_text('[tips.bestaat-niet]\nnl = ["a"]\nen = ["a"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"tips\.bestaat-niet: unknown category"):
        load_municipality(override)
