"""Public holidays for working-day deadlines, from the `holidays` library, for every year."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from importlib.metadata import version

import holidays


def check_country(country: str) -> str:
    """Return the country code if the library knows it ("" is none); raise ValueError otherwise."""
    if country and country not in holidays.list_supported_countries():
        raise ValueError(
            f"{country!r} is not a country code the holidays library knows (such as 'NL'); "
            'use "" for no public holidays'
        )
    return country


def check_categories(country: str, categories: list[str]) -> list[str]:
    """Return the categories if the country has them all; raise ValueError otherwise."""
    if not country:
        return categories
    supported = holidays.country_holidays(country).supported_categories
    unknown = [c for c in categories if c not in supported]
    if unknown:
        raise ValueError(
            f"{country} has no holiday category {', '.join(map(repr, unknown))}; "
            f"it has {', '.join(supported)}"
        )
    return categories


class PublicHolidays:
    """A country's holidays in some categories, each year computed once, when first asked."""

    def __init__(self, country: str, categories: tuple[str, ...]) -> None:
        self.country = country
        self.categories = categories
        # Names in the country's own language, not in that of the machine's locale.
        self._language = holidays.country_holidays(country).default_language
        self._years: dict[int, dict[date, str]] = {}

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and day in self.of_year(day.year)

    def of_year(self, year: int) -> Mapping[date, str]:
        """Return the holidays of a year, each with its name."""
        days = self._years.get(year)
        if days is None:
            found = holidays.country_holidays(
                self.country, years=year, categories=self.categories, language=self._language
            )
            days = self._years[year] = dict(sorted(found.items()))
        return days

    def source(self) -> str:
        """Describe where the holidays come from, with the library's version."""
        kinds = ", ".join(self.categories)
        return f"holidays {version('holidays')} (Python package): {self.country}, {kinds}"


@lru_cache(maxsize=16)
def public_holidays(country: str, categories: tuple[str, ...]) -> PublicHolidays:
    """Return the one shared provider of these holidays, so each year is computed only once."""
    return PublicHolidays(country, categories)
