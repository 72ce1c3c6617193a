"""Parse text in Telegram's HTML parse mode the way the Bot API server does.

It is longer than 300 lines because Telegram's HTML rules (tags, attributes, nesting, entities
and their UTF-16 offsets) are one parser that reads best in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

_SIMPLE_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "code": "code",
    "pre": "pre",
    "a": "text_link",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
    "tg-time": "date_time",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_SPACES = " \t\n\r\f\v"


class EntityParseError(Exception):
    """HTML that Telegram refuses with "can't parse entities"."""


@dataclass
class ParsedText:
    """Plain text, its MessageEntity dicts and notes about text Telegram shows literally."""

    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)
    lint: list[str] = field(default_factory=list)


@dataclass
class _Open:
    """A start tag waiting for its end tag."""

    tag: str
    offset: int
    attributes: dict[str, str]
    order: int


def _utf16_len(text: str) -> int:
    """Return the length of text in UTF-16 code units, the unit of entity offsets."""
    return len(text.encode("utf-16-le")) // 2


class _Parser:
    """A one-shot HTML parser over a single text."""

    def __init__(self, source: str) -> None:
        self.src = source
        self.pos = 0
        self.out: list[str] = []
        self.utf16 = 0
        self.stack: list[_Open] = []
        self.entities: list[tuple[int, dict[str, Any]]] = []
        self.opened = 0
        self.lint: list[str] = []

    def byte_offset(self, index: int) -> int:
        """Return the UTF-8 byte offset of a character index, as Telegram reports it."""
        return len(self.src[:index].encode())

    def peek(self, index: int) -> str:
        """Return the character at index or "" past the end."""
        return self.src[index] if index < len(self.src) else ""

    def emit(self, chars: str) -> None:
        """Append plain text to the output."""
        self.out.append(chars)
        self.utf16 += _utf16_len(chars)

    def decode_entity(self, index: int) -> tuple[str, int] | None:
        """Decode an HTML entity starting at index; return it and the index after it."""
        end = index + 1
        if self.peek(end) == "#":
            end += 1
            hexadecimal = self.peek(end) == "x"
            end += hexadecimal
            digits = "0123456789abcdefABCDEF" if hexadecimal else "0123456789"
            start = end
            while self.peek(end) != "" and self.peek(end) in digits:
                end += 1
            if end == start:
                return None
            code = int(self.src[start:end], 16 if hexadecimal else 10)
            if code == 0 or code >= 0x10FFFF or 0xD800 <= code <= 0xDFFF:
                return None
            char = chr(code)
        else:
            while self.peek(end).isascii() and self.peek(end).isalpha():
                end += 1
            name = self.src[index + 1 : end]
            if name not in _NAMED_ENTITIES:
                return None
            char = _NAMED_ENTITIES[name]
        if self.peek(end) == ";":
            end += 1
        return char, end

    def run(self) -> ParsedText:
        """Parse the whole source."""
        while self.pos < len(self.src):
            char = self.src[self.pos]
            if char == "&":
                decoded = self.decode_entity(self.pos)
                if decoded is None:
                    self.lint.append(
                        f"unescaped '&' at byte offset {self.byte_offset(self.pos)} "
                        "(Telegram shows it literally; escape user text with html.escape)"
                    )
                    self.emit(char)
                    self.pos += 1
                else:
                    self.emit(decoded[0])
                    self.pos = decoded[1]
            elif char == "<":
                if self.peek(self.pos + 1) == "/":
                    self.end_tag()
                else:
                    self.start_tag()
            else:
                self.emit(char)
                self.pos += 1
        if self.stack:
            raise EntityParseError(
                f'Can\'t find end tag corresponding to start tag "{self.stack[-1].tag}"'
            )
        ordered = sorted(self.entities, key=lambda e: (e[1]["offset"], -e[1]["length"], e[0]))
        return ParsedText("".join(self.out), [entity for _, entity in ordered], self.lint)

    def start_tag(self) -> None:
        """Parse a start tag with its attributes."""
        begin = self.pos
        i = begin + 1
        while self.peek(i) not in ("", ">") and self.peek(i) not in _SPACES:
            i += 1
        tag = self.src[begin + 1 : i].lower()
        if tag not in _SIMPLE_TAGS:
            raise EntityParseError(
                f'Unsupported start tag "{tag}" at byte offset {self.byte_offset(begin)}'
            )
        attributes: dict[str, str] = {}
        while True:
            while self.peek(i) != "" and self.peek(i) in _SPACES:
                i += 1
            if self.peek(i) == ">":
                break
            if self.peek(i) == "":
                raise EntityParseError(
                    f"Unclosed start tag at byte offset {self.byte_offset(begin)}"
                )
            i = self.attribute(tag, begin, i, attributes)
        self.pos = i + 1
        if tag == "span" and attributes.get("class") != "tg-spoiler":
            raise EntityParseError(
                f'Tag "span" must have class "tg-spoiler" at byte offset {self.byte_offset(begin)}'
            )
        self.opened += 1
        self.stack.append(_Open(tag, self.utf16, attributes, self.opened))

    def attribute(self, tag: str, begin: int, i: int, attributes: dict[str, str]) -> int:
        """Parse one attribute of a start tag; return the index after it."""
        name_start = i
        while self.peek(i) not in ("", "=", ">") and self.peek(i) not in _SPACES:
            i += 1
        name = self.src[name_start:i]
        if not name:
            raise EntityParseError(
                f'Empty attribute name in the tag "{tag}" at byte offset {self.byte_offset(begin)}'
            )
        while self.peek(i) != "" and self.peek(i) in _SPACES:
            i += 1
        if self.peek(i) != "=":
            if tag == "blockquote" and name == "expandable":
                attributes[name] = ""
                return i
            raise EntityParseError(
                "Expected equal sign in declaration of an attribute of the tag "
                f'"{tag}" at byte offset {self.byte_offset(begin)}'
            )
        i += 1
        while self.peek(i) != "" and self.peek(i) in _SPACES:
            i += 1
        if self.peek(i) == "":
            raise EntityParseError(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
        quote = self.peek(i)
        if quote in ("'", '"'):
            i += 1
            value: list[str] = []
            while self.peek(i) not in ("", quote):
                decoded = self.decode_entity(i) if self.peek(i) == "&" else None
                if decoded is None:
                    value.append(self.peek(i))
                    i += 1
                else:
                    value.append(decoded[0])
                    i = decoded[1]
            i += self.peek(i) == quote
            text = "".join(value)
        else:
            token_start = i
            while self.peek(i).isalnum() or self.peek(i) in (".", "-"):
                i += 1
            text = self.src[token_start:i].lower()
            if self.peek(i) not in _SPACES and self.peek(i) != ">":
                raise EntityParseError(
                    f"Unexpected end of name token at byte offset {self.byte_offset(token_start)}"
                )
        if self.peek(i) == "":
            raise EntityParseError(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
        attributes[name] = text
        return i

    def end_tag(self) -> None:
        """Parse an end tag and close the innermost open tag."""
        begin = self.pos
        if not self.stack:
            raise EntityParseError(f"Unexpected end tag at byte offset {self.byte_offset(begin)}")
        i = begin + 2
        while self.peek(i) not in ("", ">") and self.peek(i) not in _SPACES:
            i += 1
        name = self.src[begin + 2 : i].lower()
        while self.peek(i) != "" and self.peek(i) in _SPACES:
            i += 1
        if self.peek(i) != ">":
            raise EntityParseError(f"Unclosed end tag at byte offset {self.byte_offset(begin)}")
        opened = self.stack.pop()
        if name and name != opened.tag:
            raise EntityParseError(
                f"Unmatched end tag at byte offset {self.byte_offset(begin)}, "
                f'expected "</{opened.tag}>", found "</{name}>"'
            )
        self.pos = i + 1
        self.close(opened)

    def close(self, opened: _Open) -> None:
        """Turn a closed tag into a MessageEntity."""
        length = self.utf16 - opened.offset
        if length == 0:
            return
        kind = _SIMPLE_TAGS[opened.tag]
        entity: dict[str, Any] = {"type": kind, "offset": opened.offset, "length": length}
        attributes = opened.attributes
        if kind == "text_link":
            if "href" not in attributes:
                return
            entity["url"] = attributes["href"]
        elif kind == "blockquote" and "expandable" in attributes:
            entity["type"] = "expandable_blockquote"
        elif kind == "custom_emoji":
            emoji_id = attributes.get("emoji-id", "")
            if not emoji_id.isdigit() or int(emoji_id) == 0:
                raise EntityParseError("Invalid custom emoji identifier specified")
            entity["custom_emoji_id"] = emoji_id
        elif kind == "date_time":
            unix = attributes.get("unix", "")
            if not unix.isdigit():
                raise EntityParseError("Invalid Unix time specified")
            entity["unix_time"] = int(unix)
            if "format" in attributes:
                entity["date_time_format"] = attributes["format"]
        elif kind == "pre" and "language" in attributes:
            entity["language"] = attributes["language"]
        elif kind == "code" and attributes.get("class", "").startswith("language-"):
            self.set_pre_language(opened, attributes["class"].removeprefix("language-"))
        self.entities.append((opened.order, entity))

    def set_pre_language(self, code: _Open, language: str) -> None:
        """Give the enclosing pre entity the language of its code block, like Telegram."""
        if self.stack and self.stack[-1].tag == "pre" and self.stack[-1].offset == code.offset:
            self.stack[-1].attributes["language"] = language


def _trim(parsed: ParsedText) -> ParsedText:
    """Strip leading and trailing whitespace and move the entities with the text."""
    text = parsed.text
    stripped = text.strip()
    if stripped == text:
        return parsed
    shift = _utf16_len(text[: len(text) - len(text.lstrip())])
    size = _utf16_len(stripped)
    entities = []
    for entity in parsed.entities:
        start = max(entity["offset"] - shift, 0)
        end = min(entity["offset"] + entity["length"] - shift, size)
        if end > start:
            entities.append({**entity, "offset": start, "length": end - start})
    return ParsedText(stripped, entities, parsed.lint)


def parse_html(source: str) -> ParsedText:
    """Return the plain text and entities of HTML, or raise EntityParseError like Telegram."""
    return _trim(_Parser(source).run())


def parse_plain(source: str) -> ParsedText:
    """Return text sent without a parse mode, trimmed like Telegram trims it."""
    return _trim(ParsedText(source))
