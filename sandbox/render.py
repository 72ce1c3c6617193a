"""Render a Bot API message's text and entities as HTML, the way a Telegram client shows it."""

from __future__ import annotations

from html import escape
from typing import Any

_TAGS = {
    "bold": ("<b>", "</b>"),
    "italic": ("<i>", "</i>"),
    "underline": ("<u>", "</u>"),
    "strikethrough": ("<s>", "</s>"),
    "code": ("<code>", "</code>"),
    "pre": ("<pre>", "</pre>"),
    "spoiler": ('<span class="spoiler">', "</span>"),
    "blockquote": ("<blockquote>", "</blockquote>"),
    "expandable_blockquote": ("<blockquote>", "</blockquote>"),
    "bot_command": ('<span class="command">', "</span>"),
    "mention": ('<span class="mention">', "</span>"),
    "hashtag": ('<span class="mention">', "</span>"),
}
_SAFE_SCHEMES = ("http://", "https://", "tg://", "mailto:", "tel:")


def _utf16_units(text: str) -> list[str]:
    """Split text into UTF-16 code units' worth of characters (astral ones count twice)."""
    units: list[str] = []
    for character in text:
        units.append(character)
        if ord(character) > 0xFFFF:
            units.append("")
    return units


def _link(url: str) -> tuple[str, str]:
    """Open and close an <a> for a URL; anything but a known scheme stays plain text."""
    if not url.lower().startswith(_SAFE_SCHEMES):
        return "", ""
    return f'<a href="{escape(url)}" target="_blank" rel="noopener noreferrer">', "</a>"


def entity_tags(entity: dict[str, Any], text: list[str]) -> tuple[str, str]:
    """Return the opening and closing HTML of one MessageEntity."""
    kind = str(entity.get("type", ""))
    if kind == "text_link":
        return _link(str(entity.get("url", "")))
    if kind == "url":
        start, length = int(entity["offset"]), int(entity["length"])
        return _link("".join(text[start : start + length]))
    return _TAGS.get(kind, ("", ""))


def render_text(text: str, entities: list[dict[str, Any]] | None) -> str:
    """Return escaped HTML of text with its entities as tags; line breaks stay newlines."""
    units = _utf16_units(text)
    opening: dict[int, list[tuple[int, str, str]]] = {}
    for number, entity in enumerate(entities or []):
        try:
            start, length = int(entity["offset"]), int(entity["length"])
        except (KeyError, TypeError, ValueError):
            continue
        if start < 0 or length <= 0 or start + length > len(units):
            continue
        open_tag, close_tag = entity_tags(entity, units)
        if open_tag:
            # Longer entities open first so shorter ones nest inside them.
            opening.setdefault(start, []).append((-length, f"{number:05d}{close_tag}", open_tag))
    out: list[str] = []
    stack: list[tuple[int, str]] = []  # (end, closing tag)
    for position in range(len(units) + 1):
        while stack and stack[-1][0] <= position:
            out.append(stack.pop()[1])
        for negative_length, keyed_close, open_tag in sorted(opening.get(position, [])):
            end = position - negative_length
            # An entity that would cross an open one is cut at that one's end.
            if stack and end > stack[-1][0]:
                end = stack[-1][0]
            out.append(open_tag)
            stack.append((end, keyed_close[5:]))
        if position < len(units):
            out.append(escape(units[position]))
    while stack:
        out.append(stack.pop()[1])
    return "".join(out)
