"""Read gettext PO files and compile them for gettext, with the standard library only."""

from __future__ import annotations

import gettext
import io
import re
import struct
from dataclasses import dataclass
from pathlib import Path

from config.errors import ConfigError

LOCALE_DIR = Path(__file__).resolve().parent / "locale"

_ESCAPES = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    '"': '"',
    "\\": "\\",
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "v": "\v",
}
_KEYWORD = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\S.*)")
_CHARSET = re.compile(r"charset\s*=\s*([\w-]+)", re.IGNORECASE)
_PLURAL_PROBE = range(1000)


def locale_codes() -> list[str]:
    """Return the codes of the languages that have a .po file: Dutch, English, then the rest."""
    codes = sorted(path.stem for path in LOCALE_DIR.glob("*.po"))
    first = [code for code in ("nl", "en") if code in codes]
    return first + [code for code in codes if code not in first]


def locale_file(language: str) -> Path:
    """Return the .po file of a language code such as `nl`."""
    return LOCALE_DIR / f"{language}.po"


@dataclass(frozen=True)
class PoEntry:
    """One message: its key, its text (one per plural form) and the comments for translators."""

    msgid: str
    msgstr: tuple[str, ...]
    line: int
    msgid_plural: str | None = None
    comments: tuple[str, ...] = ()
    flags: frozenset[str] = frozenset()

    @property
    def is_plural(self) -> bool:
        """Tell whether the message has plural forms."""
        return self.msgid_plural is not None


@dataclass(frozen=True)
class PoFile:
    """A parsed PO file: its header and its messages in file order."""

    path: Path
    header: str
    headers: dict[str, str]
    nplurals: int
    entries: tuple[PoEntry, ...]


def source_comment(source: PoEntry) -> tuple[str, ...]:
    """Return the translator comment (#.) lines that show a message's Dutch source text."""
    labels = ["Dutch"] if len(source.msgstr) == 1 else ["Dutch (one)", "Dutch (other)"]
    lines: list[str] = []
    for label, text in zip(labels, source.msgstr, strict=True):
        first, *rest = text.split("\n")
        lines += [f"{label}: {first}", *rest]
    return tuple(line.rstrip() for line in lines)


def read_po(path: Path) -> PoFile:
    """Parse a PO file; raise ConfigError naming the file and line of the first problem."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError([f"{path}: cannot be read ({exc.strerror})"]) from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ConfigError([f"{path}:{line}: not valid UTF-8"]) from exc
    reader = _Reader(path)
    for number, raw in enumerate(text.removeprefix("\ufeff").split("\n"), start=1):
        reader.feed(number, raw.rstrip("\r").strip())
    reader.finish()
    return reader.result()


def compile_mo(po: PoFile) -> bytes:
    """Return the GNU MO file of a PO file's messages; like msgfmt, skip fuzzy and empty ones."""
    messages = {b"": po.header.encode()}
    for entry in po.entries:
        if "fuzzy" in entry.flags or not all(entry.msgstr):
            continue
        key = entry.msgid if entry.msgid_plural is None else f"{entry.msgid}\0{entry.msgid_plural}"
        messages[key.encode()] = "\0".join(entry.msgstr).encode()
    keys = sorted(messages)
    originals_at = 7 * 4
    translations_at = originals_at + 8 * len(keys)
    offset = translations_at + 8 * len(keys)
    tables = [bytearray(), bytearray()]
    blob = bytearray()
    for table, strings in zip(tables, (keys, [messages[k] for k in keys]), strict=True):
        for string in strings:
            table += struct.pack("<2I", len(string), offset + len(blob))
            blob += string + b"\0"
    head = struct.pack("<7I", 0x950412DE, 0, len(keys), originals_at, translations_at, 0, 0)
    return head + bytes(tables[0]) + bytes(tables[1]) + bytes(blob)


def translations(po: PoFile) -> gettext.GNUTranslations:
    """Return gettext's translations of a PO file; its Plural-Forms header picks plural forms."""
    return gettext.GNUTranslations(io.BytesIO(compile_mo(po)))


class _Reader:
    """Turn the lines of a PO file into entries, naming the line of every problem."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.entries: list[PoEntry] = []
        self._start_entry()

    def _start_entry(self) -> None:
        self.comments: list[str] = []
        self.flags: set[str] = set()
        self.msgid: str | None = None
        self.msgid_plural: str | None = None
        self.msgstr: list[str] = []
        self.line = 0
        self.target: str | None = None

    def error(self, line: int, problem: str) -> ConfigError:
        """Return the error for a problem on a line."""
        return ConfigError([f"{self.path}:{line}: {problem}"])

    def feed(self, number: int, line: str) -> None:
        """Take one stripped line of the file."""
        if not line:
            self.finish()
        elif line.startswith("#"):
            self.comment(number, line)
        elif line.startswith('"'):
            self.extend(number, self.unquote(number, line))
        elif match := _KEYWORD.fullmatch(line):
            keyword, index, quoted = match.groups()
            self.keyword(number, keyword.split("[")[0], index, self.unquote(number, quoted))
        else:
            raise self.error(number, f"cannot read this line: {line[:40]!r}")

    def comment(self, number: int, line: str) -> None:
        """Keep flags and extracted comments; other comments mean nothing to the program."""
        if self.msgstr:
            self.finish()
        elif self.msgid is not None:
            raise self.error(number, "a comment inside a message; put it before msgid")
        if line.startswith("#,"):
            self.flags.update(flag.strip() for flag in line[2:].split(",") if flag.strip())
        elif line.startswith("#."):
            self.comments.append(line[2:].removeprefix(" "))

    def keyword(self, number: int, keyword: str, index: str | None, value: str) -> None:
        """Start a message or one of its parts."""
        if keyword == "msgctxt":
            raise self.error(number, "msgctxt is not supported: every key is unique")
        if keyword == "msgid":
            if self.msgid is not None:
                if not self.msgstr:
                    raise self.error(number, "msgid follows a msgid without msgstr")
                self.finish()
            self.msgid, self.line, self.target = value, number, keyword
            return
        if self.msgid is None:
            raise self.error(number, f"{keyword} without a msgid before it")
        if keyword == "msgid_plural":
            if self.msgstr or self.msgid_plural is not None:
                raise self.error(number, "msgid_plural must follow msgid directly")
            self.msgid_plural, self.target = value, keyword
            return
        if (index is None) != (self.msgid_plural is None):
            raise self.error(number, "use msgstr[0], msgstr[1], … after msgid_plural, else msgstr")
        if index is None and self.msgstr:
            raise self.error(number, "a second msgstr for the same msgid")
        if index is not None and int(index) != len(self.msgstr):
            raise self.error(number, f"expected msgstr[{len(self.msgstr)}] here")
        self.msgstr.append(value)
        self.target = "msgstr"

    def extend(self, number: int, value: str) -> None:
        """Append a continuation string to the part it follows."""
        if self.target == "msgid" and self.msgid is not None:
            self.msgid += value
        elif self.target == "msgid_plural" and self.msgid_plural is not None:
            self.msgid_plural += value
        elif self.target == "msgstr":
            self.msgstr[-1] += value
        else:
            raise self.error(number, "a string that continues nothing")

    def unquote(self, number: int, quoted: str) -> str:
        """Return the text of one quoted PO string."""
        if len(quoted) < 2 or not quoted.startswith('"') or not quoted.endswith('"'):
            raise self.error(number, "expected one string in double quotes")
        body, text, i = quoted[1:-1], [], 0
        while i < len(body):
            char = body[i]
            if char == '"':
                raise self.error(number, 'a " inside a string must be written \\"')
            if char == "\\":
                escape = body[i + 1 : i + 2]
                if escape not in _ESCAPES:
                    raise self.error(number, f"unknown escape \\{escape}")
                text.append(_ESCAPES[escape])
                i += 2
            else:
                text.append(char)
                i += 1
        return "".join(text)

    def finish(self) -> None:
        """Close the message being read, if any."""
        if self.msgid is None:
            if self.flags or self.comments:
                self._start_entry()
            return
        if not self.msgstr:
            raise self.error(self.line, f"msgid {self.msgid!r} has no msgstr")
        entry = PoEntry(
            msgid=self.msgid,
            msgstr=tuple(self.msgstr),
            line=self.line,
            msgid_plural=self.msgid_plural,
            comments=tuple(self.comments),
            flags=frozenset(self.flags),
        )
        self.entries.append(entry)
        self._start_entry()

    def result(self) -> PoFile:
        """Check the header and the messages against each other and return the file."""
        if not self.entries or self.entries[0].msgid != "":
            raise self.error(1, 'the header (msgid "") must be the first message')
        head, *entries = self.entries
        headers = dict(
            (name.strip(), value.strip())
            for name, _, value in (line.partition(":") for line in head.msgstr[0].split("\n"))
            if value
        )
        nplurals = self.check_header(head, headers)
        seen: dict[str, int] = {}
        for entry in entries:
            if entry.msgid in seen:
                first = seen[entry.msgid]
                raise self.error(
                    entry.line, f"{entry.msgid!r} appears twice (first on line {first})"
                )
            seen[entry.msgid] = entry.line
            if entry.is_plural and len(entry.msgstr) != nplurals:
                found = len(entry.msgstr)
                raise self.error(entry.line, f"{found} plural forms; Plural-Forms says {nplurals}")
        return PoFile(self.path, head.msgstr[0], headers, nplurals, tuple(entries))

    def check_header(self, head: PoEntry, headers: dict[str, str]) -> int:
        """Check Language, Content-Type and Plural-Forms; return the number of plural forms."""
        if not headers.get("Language"):
            raise self.error(head.line, "the header has no Language")
        charset = _CHARSET.search(headers.get("Content-Type", ""))
        if charset is None or charset.group(1).upper().replace("_", "-") != "UTF-8":
            raise self.error(head.line, "the header must say Content-Type: ...; charset=UTF-8")
        parts = [part.strip() for part in headers.get("Plural-Forms", "").split(";")]
        if len(parts) < 2 or not parts[0].startswith("nplurals=") or "plural=" not in parts[1]:
            raise self.error(head.line, "the header needs Plural-Forms: nplurals=N; plural=EXPR;")
        try:
            nplurals = int(parts[0].removeprefix("nplurals="))
            plural = gettext.c2py(parts[1].split("plural=", 1)[1])
            forms = {plural(n) for n in _PLURAL_PROBE}
        except (ValueError, ZeroDivisionError) as exc:
            raise self.error(head.line, f"Plural-Forms cannot be used: {exc}") from exc
        if nplurals < 1 or not forms <= set(range(nplurals)):
            raise self.error(head.line, f"Plural-Forms picks forms {sorted(forms)} of {nplurals}")
        return nplurals
