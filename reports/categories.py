"""Describe report categories and recognise signals that call for 112."""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from reports.models import Language, gather_translations


class Category(BaseModel):
    """A kind of nuisance or unsafe spot residents can report."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(pattern=r"^[a-z0-9-]{1,40}$")
    name_nl: str = Field(min_length=1, max_length=60)
    name_en: str = Field(min_length=1, max_length=60)
    emoji: str = ""
    urgent: bool = False
    signalen_slug: str | None = None
    names: dict[str, Annotated[str, Field(min_length=1, max_length=60)]] = Field(
        default_factory=dict
    )
    """Names in further languages, from `name_<language>` keys (`name_de`)."""

    @model_validator(mode="before")
    @classmethod
    def _translations(cls, data: Any) -> Any:
        return gather_translations(data, "name_", cls.model_fields, "names")

    def name(self, language: Language) -> str:
        """Return the name in the resident's language, Dutch when it has none in theirs."""
        if language == Language.EN:
            return self.name_en
        if language == Language.NL:
            return self.name_nl
        return self.names.get(language.value, self.name_nl)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_ARABIC = re.compile(r"[\u0600-\u06ff]")
_ARABIC_PROCLITICS = r"(?:[وفبلك]?(?:ال)?)"
"""Arabic writes "and", "with", "for", "like" and the article onto the word (بسكين, والسكين)."""


def _word_pattern(word: str) -> str:
    """Return the pattern of one keyword; an Arabic one may carry its proclitics."""
    escaped = re.escape(word)
    return _ARABIC_PROCLITICS + escaped if _ARABIC.search(word) else escaped


class UrgencyDetector:
    """Recognise words in a description that mean someone should call 112 now."""

    def __init__(self, keywords: list[str]) -> None:
        words = sorted({_fold(k.strip()) for k in keywords if k.strip()}, key=len, reverse=True)
        self._pattern = (
            re.compile(r"(?<!\w)(?:" + "|".join(_word_pattern(w) for w in words) + r")(?!\w)")
            if words
            else None
        )

    def is_urgent(self, category: Category | None, description: str | None) -> bool:
        """Return whether the category or the description signals danger right now."""
        if category is not None and category.urgent:
            return True
        if not description or self._pattern is None:
            return False
        return self._pattern.search(_fold(description)) is not None
