"""Every language's .po file holds every text, safe to render, read alike by us and by Babel."""

from __future__ import annotations

import ast
import gettext
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import cast

import pytest
from babel.messages.pofile import read_po as babel_read_po

import handlers
from config.errors import ConfigError
from config.po import PoEntry, locale_file, read_po, source_comment
from handlers.texts import (
    COUNT,
    Html,
    T,
    catalogue,
    languages,
    load_catalogue,
    load_texts,
    placeholders,
    plain,
    t,
)
from reports.models import Language
from sandbox.botapi.html_mode import parse_html

LANGUAGES = list(languages())
SOURCE = Language.NL
TRANSLATIONS = [language for language in LANGUAGES if language != SOURCE]


@cache
def entries(language: Language) -> dict[str, PoEntry]:
    """Return a language's messages by key, as our reader sees them."""
    return {entry.msgid: entry for entry in read_po(locale_file(language.value)).entries}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_has_a_po_file_named_by_its_code(language: Language) -> None:
    path = locale_file(language.value)
    assert path.is_file(), f"{language!r} needs {path}"
    assert read_po(path).headers["Language"] == language.value


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_language_holds_every_key_of_t_and_no_other(language: Language) -> None:
    keys = set(entries(language))
    assert not set(T) - keys, "missing"
    assert not keys - set(T), "not in handlers.text_keys.T"


@pytest.mark.parametrize("key", list(T))
def test_every_text_exists_in_every_language_with_the_same_placeholders(key: T) -> None:
    source = entries(SOURCE)[key]
    expected = placeholders(source.msgstr[0])
    assert not source.is_plural or COUNT in expected, "the count picks the plural form"
    for language in LANGUAGES:
        entry = entries(language)[key]
        assert entry.is_plural == source.is_plural, language
        assert "fuzzy" not in entry.flags, language
        for text in entry.msgstr:
            assert text.strip(), language
            assert placeholders(text) == expected, language


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_text_is_html_that_telegram_accepts(language: Language) -> None:
    for entry in entries(language).values():
        for text in entry.msgstr:
            parsed = parse_html(text.format_map({name: "x" for name in placeholders(text)}))
            assert not parsed.lint, (entry.msgid, parsed.lint)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_text_starts_or_ends_with_a_newline_so_msgfmt_accepts_it(language: Language) -> None:
    edges = [
        key
        for key, entry in entries(language).items()
        for text in entry.msgstr
        if text.startswith("\n") or text.endswith("\n")
    ]
    assert not edges, "msgfmt refuses them (the msgid, a key, has no newline); add it in code"


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_translators_see_the_current_dutch_text_as_a_comment(language: Language) -> None:
    stale = [
        key
        for key, entry in entries(language).items()
        if entry.comments != source_comment(entries(SOURCE)[key])
    ]
    assert not stale, "run .venv/bin/python scripts/sync_po_comments.py"


@pytest.mark.parametrize("language", LANGUAGES)
def test_gettext_returns_every_text_as_written_in_the_po_file(language: Language) -> None:
    found = catalogue(language).translations
    header = read_po(locale_file(language.value)).headers["Plural-Forms"]
    plural = gettext.c2py(header.split("plural=", 1)[1].rstrip(";"))
    for key, entry in entries(language).items():
        if entry.is_plural:
            for n in range(200):
                assert found.ngettext(key, key, n) == entry.msgstr[plural(n)]
            assert {found.ngettext(key, key, n) for n in range(200)} == set(entry.msgstr)
        else:
            assert found.gettext(key) == entry.msgstr[0]


def forms(string: str | tuple[str, ...] | list[str] | None) -> tuple[str, ...]:
    """Return Babel's msgstr as a tuple of forms."""
    if string is None:
        return ()
    return (string,) if isinstance(string, str) else tuple(string)


@pytest.mark.parametrize("language", LANGUAGES)
def test_babel_reads_every_po_file_like_our_reader_and_finds_no_problem(
    language: Language,
) -> None:
    path = locale_file(language.value)
    with path.open("rb") as file:
        babel = babel_read_po(file, abort_invalid=True)
    ours = read_po(path)
    read = {
        str(message.id[0] if isinstance(message.id, tuple) else message.id): (
            forms(message.string),
            message.pluralizable,
            tuple(message.auto_comments),
            "fuzzy" in message.flags,
        )
        for message in babel
        if message.id
    }
    assert read == {
        entry.msgid: (
            entry.msgstr,
            entry.is_plural,
            tuple(line.strip() for line in entry.comments if line.strip()),
            "fuzzy" in entry.flags,
        )
        for entry in ours.entries
    }
    assert babel.num_plurals == ours.nplurals
    assert str(babel.locale) == language.value
    assert list(babel.check()) == []


def test_all_languages_load_at_start() -> None:
    load_texts()


def test_an_unknown_key_fails_instead_of_showing_the_key() -> None:
    with pytest.raises(KeyError, match="no_such_text"):
        t(cast(T, "no_such_text"), Language.NL)
    with pytest.raises(KeyError, match="no_such_text"):
        catalogue(Language.EN).translations.ngettext("no_such_text", "no_such_text", 2)


def test_a_file_missing_a_key_or_holding_an_unknown_one_is_refused(tmp_path: Path) -> None:
    text = locale_file("en").read_text(encoding="utf-8")
    broken = tmp_path / "en.po"
    broken.write_text(text.replace('msgid "btn_back"', 'msgid "btn_bakc"'), encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        load_catalogue(broken)
    assert f"{broken}: the text 'btn_back' is missing" in refused.value.problems
    assert any("'btn_bakc' is not a key" in problem for problem in refused.value.problems)


def test_a_broken_template_is_refused_with_its_line(tmp_path: Path) -> None:
    text = locale_file("en").read_text(encoding="utf-8")
    line = text.split("\n").index('msgid "ask_wijk"') + 1
    broken = tmp_path / "en.po"
    broken.write_text(text.replace("Which district is it in?", "Which {district is it in?"))
    with pytest.raises(ConfigError, match=rf"en\.po:{line}: 'ask_wijk' is not a valid template"):
        load_catalogue(broken)


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


def test_plural_forms_follow_the_count() -> None:
    lines = [t(T.R_DIGEST_LINE, Language.NL, category="Vandalisme", count=n) for n in (0, 1, 3)]
    assert lines == [
        "• Vandalisme: 0 meldingen",
        "• Vandalisme: 1 melding",
        "• Vandalisme: 3 meldingen",
    ]
    assert plain(T.P_CASE_MORE, Language.EN, count=1) == "… and 1 more line"
    assert plain(T.P_CASE_MORE, Language.EN, count=3) == "… and 3 more lines"


def test_a_plural_text_without_a_count_fails() -> None:
    with pytest.raises(TypeError, match="count"):
        t(T.R_DIGEST_LINE, Language.NL, category="Vandalisme")
    with pytest.raises(TypeError, match="count"):
        plain(T.P_CASE_MORE, Language.EN, count="3")


def calls() -> Iterator[tuple[str, T, set[str]]]:
    """Yield every t(T.KEY, …)/plain(T.KEY, …) call in handlers/ with the names it passes."""
    root = Path(handlers.__file__).parent
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            key = node.args[0] if node.args else None
            if (
                node.func.id in {"t", "plain"}
                and isinstance(key, ast.Attribute)
                and isinstance(key.value, ast.Name)
                and key.value.id == "T"
                and all(keyword.arg for keyword in node.keywords)
            ):
                names = {str(keyword.arg) for keyword in node.keywords}
                yield f"{path.relative_to(root)}:{node.lineno}", T[key.attr], names


def test_every_call_passes_exactly_the_placeholders_of_its_text() -> None:
    found = list(calls())
    assert len(found) > 100
    wrong = [
        (where, key.value, names)
        for where, key, names in found
        if names != placeholders(entries(SOURCE)[key].msgstr[0])
    ]
    assert not wrong
