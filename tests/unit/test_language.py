"""A language is a code; which ones Meldbot speaks follows from its text catalogues."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from reports.models import Language

AVAILABLE = (Language.NL, Language.EN, Language("de"), Language("ar"))


class Holder(BaseModel):
    """A model with a language field, as drafts and reports have."""

    language: Language


@pytest.mark.parametrize(
    ("client", "expected"),
    [
        ("de", "de"),
        ("de-AT", "de"),
        ("en_GB", "en"),
        ("AR", "ar"),
        ("fr", "nl"),  # not available: Dutch
        (None, "nl"),
        ("", "nl"),
    ],
)
def test_a_telegram_app_gets_its_language_when_meldbot_speaks_it(
    client: str | None, expected: str
) -> None:
    assert Language.from_client(client, AVAILABLE) == Language(expected)


@pytest.mark.parametrize("code", ["", "NL", "nederlands", "n1", "de-DE", "../x"])
def test_anything_but_a_lower_case_language_code_is_refused(code: str) -> None:
    with pytest.raises(ValueError, match="not a language code"):
        Language(code)


def test_a_language_is_stored_as_its_plain_code_and_read_back() -> None:
    dumped = Holder(language=Language("tr")).model_dump_json()

    assert dumped == '{"language":"tr"}'
    assert Holder.model_validate_json(dumped).language == Language("tr")
    assert isinstance(Holder.model_validate_json(dumped).language, Language)
