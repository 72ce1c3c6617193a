"""Hold the municipality's own texts for residents, in every language with Dutch as fallback.

Closing texts, survey reasons and prevention tips are written by the municipality in its TOML.
Dutch (`nl`) and English (`en`) are required; any other language is a key named by its code
(`de = "..."`, `tr = [...]`), and a language without one gets the Dutch text.
"""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from reports.models import Language, gather_translations

V = TypeVar("V")


class Strict(BaseModel):
    """A configuration table: unknown keys are errors, values never change."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def pick(language: Language, dutch: V, english: V, others: dict[str, V]) -> V:
    """Return the value in a language: Dutch, English, another one, else the Dutch fallback."""
    if language == Language.NL:
        return dutch
    if language == Language.EN:
        return english
    return others.get(language.value, dutch)


class ClosingText(Strict):
    """A standard text a caseworker can close a report with, shown to the resident."""

    id: str = Field(pattern=r"^[a-z0-9-]{1,32}$")
    label: str = Field(min_length=1, max_length=40)  # the caseworker's button, in Dutch
    nl: str = Field(min_length=1, max_length=1000)
    en: str = Field(min_length=1, max_length=1000)
    needs_reason: bool = False  # the caseworker must add an explanation for the resident
    translations: dict[str, Annotated[str, Field(min_length=1, max_length=1000)]] = Field(
        default_factory=dict
    )
    """The text in further languages, from keys named by the language (`de`, `tr`)."""
    labels: dict[str, Annotated[str, Field(min_length=1, max_length=40)]] = Field(
        default_factory=dict
    )
    """The button in further languages, from `label_<language>` keys (`label_en`)."""

    @model_validator(mode="before")
    @classmethod
    def _translations(cls, data: Any) -> Any:
        data = gather_translations(data, "", cls.model_fields, "translations")
        return gather_translations(data, "label_", cls.model_fields, "labels")

    def text(self, language: Language) -> str:
        """Return the text in the resident's language, Dutch when it has none in theirs."""
        return pick(language, self.nl, self.en, self.translations)

    def button(self, language: Language) -> str:
        """Return the caseworker's button in a partner chat's language, else the Dutch one."""
        return self.labels.get(language.value, self.label)


class SurveyReason(Strict):
    """One satisfaction reason of the survey (after Signalen); a negative one may reopen."""

    id: str = Field(pattern=r"^[a-z0-9-]{1,32}$")
    nl: str = Field(min_length=1, max_length=60)  # a button label
    en: str = Field(min_length=1, max_length=60)
    positive: bool
    reopen: bool = False  # choosing it reopens the report and tells the lead partner
    translations: dict[str, Annotated[str, Field(min_length=1, max_length=60)]] = Field(
        default_factory=dict
    )
    """The button label in further languages, from keys named by the language (`de`, `tr`)."""

    @model_validator(mode="before")
    @classmethod
    def _translations(cls, data: Any) -> Any:
        return gather_translations(data, "", cls.model_fields, "translations")

    def text(self, language: Language) -> str:
        """Return the reason in a language, Dutch when it has none in that one."""
        return pick(language, self.nl, self.en, self.translations)

    @model_validator(mode="after")
    def _only_negative_reopens(self) -> SurveyReason:
        if self.positive and self.reopen:
            raise ValueError("a positive reason cannot reopen the report")
        return self


class SurveyConfig(Strict):
    """The feedback survey after a resolved report."""

    reasons: list[SurveyReason] = Field(default_factory=list, max_length=40)

    def choices(self, satisfied: bool) -> list[tuple[int, SurveyReason]]:
        """Return the reasons that fit the answer, each with its index (its button)."""
        return [(i, r) for i, r in enumerate(self.reasons) if r.positive is satisfied]


class TipSet(Strict):
    """The prevention tips of one category, in both languages (the same tips, in order)."""

    nl: list[Annotated[str, Field(min_length=1, max_length=1000)]] = Field(min_length=1)
    en: list[Annotated[str, Field(min_length=1, max_length=1000)]] = Field(min_length=1)
    translations: dict[str, list[Annotated[str, Field(min_length=1, max_length=1000)]]] = Field(
        default_factory=dict
    )
    """The same tips in further languages, from keys named by the language (`de`, `tr`)."""

    @model_validator(mode="before")
    @classmethod
    def _translations(cls, data: Any) -> Any:
        return gather_translations(data, "", cls.model_fields, "translations")

    @model_validator(mode="after")
    def _same_count(self) -> TipSet:
        for code, tips in {"en": self.en, **self.translations}.items():
            if len(tips) != len(self.nl):
                raise ValueError(f"nl and {code} must hold the same number of tips")
        return self

    def texts(self, language: Language) -> list[str]:
        """Return the tips in a language, the Dutch ones when it has none in that one."""
        return pick(language, self.nl, self.en, self.translations)
