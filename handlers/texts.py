"""Render the texts residents and partners read, from config/locale/<language>.po files."""

from __future__ import annotations

import gettext
import html
import string
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from config.errors import ConfigError
from config.po import PoFile, locale_codes, locale_file, read_po, translations
from handlers.text_keys import T
from reports.models import Language

__all__ = [
    "COUNT",
    "Catalogue",
    "Html",
    "T",
    "catalogue",
    "languages",
    "load_catalogue",
    "load_texts",
    "placeholders",
    "plain",
    "t",
]

# The placeholder whose int value picks the form of a text with plural forms ("1 melding").
COUNT = "count"
_KEYS = frozenset(T)


class Html(str):
    """A string that is already valid Telegram HTML and must not be escaped again."""

    __slots__ = ()


class _Missing(gettext.NullTranslations):
    """The last fallback: a key the file does not hold is an error, never the key itself."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def gettext(self, message: str) -> str:
        """Refuse a key without a text."""
        raise KeyError(f"no text {message!r} in {self.path}")

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        """Refuse a key without a text for this plural form."""
        raise KeyError(f"no text {msgid1!r} for n={n} in {self.path}")


@dataclass(frozen=True)
class Catalogue:
    """The texts of one language, looked up through gettext."""

    po: PoFile
    translations: gettext.GNUTranslations
    plural_keys: frozenset[str]

    def template(self, key: str, values: dict[str, object]) -> str:
        """Return a key's template; for a text with plural forms the `count` value picks one."""
        if key not in self.plural_keys:
            return self.translations.gettext(key)
        count = values.get(COUNT)
        if not isinstance(count, int):
            raise TypeError(f"text {key!r} has plural forms: render it with {COUNT}=<int>")
        return self.translations.ngettext(key, key, count)


def placeholders(template: str) -> set[str]:
    """Return the names of the {placeholders} in a template."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def load_catalogue(path: Path) -> Catalogue:
    """Read a .po file; raise ConfigError unless it holds every key of T, and only those."""
    po = read_po(path)
    held = {entry.msgid for entry in po.entries}
    problems = [f"{path}: the text {key.value!r} is missing" for key in T if key not in held]
    for entry in po.entries:
        where = f"{path}:{entry.line}: {entry.msgid!r}"
        if entry.msgid not in _KEYS:
            problems.append(f"{where} is not a key of handlers.text_keys.T")
        if "fuzzy" in entry.flags:
            problems.append(f"{where} is marked fuzzy (needs review)")
        for text in entry.msgstr:
            if not text.strip():
                problems.append(f"{where} has an empty text")
            try:
                placeholders(text)
            except ValueError as exc:
                problems.append(f"{where} is not a valid template: {exc}")
    if problems:
        raise ConfigError(problems)
    found = translations(po)
    found.add_fallback(_Missing(path))
    plural = frozenset(entry.msgid for entry in po.entries if entry.is_plural)
    return Catalogue(po, found, plural)


@cache
def catalogue(language: Language) -> Catalogue:
    """Return a language's texts, read from config/locale/<language>.po on first use."""
    return load_catalogue(locale_file(language.value))


@cache
def languages() -> tuple[Language, ...]:
    """Return the languages Meldbot speaks: one per .po file, Dutch first."""
    return tuple(Language(code) for code in locale_codes())


def load_texts() -> None:
    """Read every language's texts now, so a broken .po file stops the start with its line."""
    problems: list[str] = []
    for language in languages():
        try:
            catalogue(language)
        except ConfigError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ConfigError(problems)


def plain(key: T, language: Language, **values: object) -> str:
    """Render a text for a place without parse mode: button labels, alerts, contact names."""
    return catalogue(language).template(key, values).format(**values)


def t(key: T, language: Language, **values: object) -> str:
    """Render a text in a language; values are HTML-escaped unless they are Html."""
    escaped = {
        name: value if isinstance(value, Html) else html.escape(str(value), quote=False)
        for name, value in values.items()
    }
    return catalogue(language).template(key, values).format(**escaped)
