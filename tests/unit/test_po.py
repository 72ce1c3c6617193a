"""Our PO reader and MO writer agree with Babel and gettext, and name the line of a mistake."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po as babel_read_po

from config.errors import ConfigError
from config.po import compile_mo, read_po, translations

HEADER = r"""# A test catalogue.
msgid ""
msgstr ""
"Language: pl\n"
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<12 || "
"n%100>14) ? 1 : 2);\n"
"""

TRICKY = (
    HEADER
    + r"""
#. A comment for translators
#.   indented
#: somewhere.py:12
#, fuzzy
msgid "greeting"
msgstr "Cześć, \"{name}\"\n"
"tab\there \\ backslash"

# A translator's note
msgid "files"
msgid_plural "files"
msgstr[0] "{count} plik"
msgstr[1] "{count} pliki"
msgstr[2] "{count} plików"
msgid "emoji"
msgstr "🚨 <b>112</b> · café €5"

#~ msgid "old"
#~ msgstr "gone"
"""
)


def write(tmp_path: Path, text: str) -> Path:
    """Write a PO file and return its path."""
    path = tmp_path / "test.po"
    path.write_text(text, encoding="utf-8")
    return path


def test_strings_comments_flags_and_plural_forms_are_read_like_babel(tmp_path: Path) -> None:
    path = write(tmp_path, TRICKY)
    po = read_po(path)
    assert po.headers["Language"] == "pl" and po.nplurals == 3
    greeting, files, emoji = po.entries
    assert greeting.msgstr == ('Cześć, "{name}"\ntab\there \\ backslash',)
    assert greeting.comments == ("A comment for translators", "  indented")
    assert greeting.flags == {"fuzzy"}
    assert files.msgid_plural == "files" and files.msgstr[2] == "{count} plików"
    assert (greeting.line, files.line, emoji.line) == (13, 18, 23)
    with path.open("rb") as file:
        babel = {message.id: message for message in babel_read_po(file) if message.id}
    assert babel["greeting"].string == greeting.msgstr[0]
    assert babel["greeting"].fuzzy
    assert babel[("files", "files")].string == files.msgstr
    assert babel["emoji"].string == emoji.msgstr[0]
    assert len(babel) == 3


def test_gettext_reads_the_mo_file_and_picks_plural_forms_by_the_header(tmp_path: Path) -> None:
    found = translations(read_po(write(tmp_path, TRICKY)))
    assert [found.ngettext("files", "files", n) for n in (1, 3, 5, 22, 112)] == [
        "{count} plik",
        "{count} pliki",
        "{count} plików",
        "{count} pliki",
        "{count} plików",
    ]
    assert found.gettext("emoji") == "🚨 <b>112</b> · café €5"
    assert found.gettext("greeting") == "greeting", "fuzzy messages are left out, as by msgfmt"
    assert found.info()["language"] == "pl"


def test_the_mo_file_starts_with_the_gnu_magic_number(tmp_path: Path) -> None:
    mo = compile_mo(read_po(write(tmp_path, TRICKY)))
    assert mo[:4] == bytes.fromhex("de120495")


@pytest.mark.parametrize(
    ("body", "line", "problem"),
    [
        ('msgid "a"\nmsgstr "b\n', 10, "expected one string in double quotes"),
        ('msgid "a"\nmsgstr "say "hi""\n', 10, 'a " inside a string'),
        ('msgid "a"\nmsgstr "\\q"\n', 10, r"unknown escape \\q"),
        ('msgid "a"\n\nmsgid "b"\nmsgstr "c"\n', 9, "msgid 'a' has no msgstr"),
        ('msgid "a"\nmsgid "b"\nmsgstr "c"\n', 10, "msgid follows a msgid without msgstr"),
        ('msgstr "b"\n', 9, "msgstr without a msgid"),
        ('msgctxt "x"\nmsgid "a"\nmsgstr "b"\n', 9, "msgctxt is not supported"),
        ('msgid "a"\nmsgstr[0] "b"\n', 10, r"use msgstr\[0\]"),
        ('msgid "a"\nmsgid_plural "a"\nmsgstr "b"\n', 11, r"use msgstr\[0\]"),
        ('msgid "a"\nmsgid_plural "a"\nmsgstr[1] "b"\n', 11, r"expected msgstr\[0\]"),
        ('msgid "a"\nmsgid_plural "a"\nmsgstr[0] "b"\nmsgstr[1] "c"\n', 9, "2 plural forms"),
        ('msgid "a"\nmsgstr "b"\nmsgstr "c"\n', 11, "a second msgstr"),
        (
            'msgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n',
            12,
            r"'a' appears twice \(first on line 9\)",
        ),
        ('msgid "a"\n# note\nmsgstr "b"\n', 10, "a comment inside a message"),
        ('msgid "a"\nmsgstr "b"\nnonsense\n', 11, "cannot read this line"),
        ('"orphan"\n', 9, "a string that continues nothing"),
    ],
)
def test_a_mistake_is_named_with_its_file_and_line(
    tmp_path: Path, body: str, line: int, problem: str
) -> None:
    path = write(tmp_path, HEADER + "\n" + body)
    with pytest.raises(ConfigError, match=rf"test\.po:{line}: {problem}"):
        read_po(path)


@pytest.mark.parametrize(
    ("header", "problem"),
    [
        (
            "Content-Type: text/plain; charset=UTF-8\\nPlural-Forms: nplurals=1; plural=0;",
            "Language",
        ),
        ("Language: nl\\nPlural-Forms: nplurals=1; plural=0;", "charset=UTF-8"),
        ("Language: nl\\nContent-Type: text/plain; charset=UTF-8", "Plural-Forms: nplurals=N"),
        (
            "Language: nl\\nContent-Type: text/plain; charset=UTF-8\\n"
            "Plural-Forms: nplurals=2; plural=(n != 1) ? 2 : 0;",
            r"picks forms \[0, 2\] of 2",
        ),
        (
            "Language: nl\\nContent-Type: text/plain; charset=UTF-8\\n"
            "Plural-Forms: nplurals=2; plural=import os;",
            "Plural-Forms cannot be used",
        ),
    ],
)
def test_a_header_without_language_utf8_or_usable_plural_forms_is_refused(
    tmp_path: Path, header: str, problem: str
) -> None:
    path = write(tmp_path, f'\nmsgid ""\nmsgstr "{header}"\n')
    with pytest.raises(ConfigError, match=rf"test\.po:2: .*{problem}"):
        read_po(path)


def test_a_file_without_header_or_not_in_utf8_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"test\.po:1: the header"):
        read_po(write(tmp_path, 'msgid "a"\nmsgstr "b"\n'))
    path = tmp_path / "test.po"
    path.write_bytes(HEADER.encode() + b'\nmsgid "a"\nmsgstr "caf\xe9"\n')
    with pytest.raises(ConfigError, match=r"test\.po:10: not valid UTF-8"):
        read_po(path)
    with pytest.raises(ConfigError, match=r"absent\.po: cannot be read"):
        read_po(tmp_path / "absent.po")
