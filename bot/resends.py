"""Tell a call that may have delivered from one that certainly did not, and mark a repeat.

The Bot API has no idempotency key, so after some failures nobody knows whether Telegram
stored the message. Meldbot's rule (README, "Delivery"):

- certainly *not* delivered: an error answer 4xx from Telegram (400, 401, 403, 404, 409, 429:
  Telegram looked at the request and refused it), and a request that never left (no connection
  could be made, no connection was free in the pool);
- *maybe* delivered: every other failure after the request left — a time-out waiting for the
  answer, a connection dropped before the answer, an answer that could not be read, and 5xx
  answers. Telegram's 5xx come from its gateway or Bot API server when something behind it
  failed or took too long, and messages are known to arrive despite a 502, so none of them
  proves the message did not arrive.

A repeat after a maybe gets a short note in front of its text or caption, in the reader's
language; its buttons are untouched, so they act exactly like the first copy's.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    RetryAfter,
)

from bot.request import NEVER_SENT
from handlers.texts import T, languages, plain
from reports.models import Language
from storage.outbox import OutboxRepository, OutboxRow

log = logging.getLogger(__name__)

_REFUSED = (
    BadRequest,
    Forbidden,
    InvalidToken,
    EndPointNotFound,
    ChatMigrated,
    RetryAfter,
    Conflict,
)
"""A 4xx answer: Telegram looked at the request and refused it (BadRequest is a NetworkError)."""
_NEVER_SENT = (
    *NEVER_SENT,
    # PTB's own HTTPXRequest, for a bot built with it.
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.UnsupportedProtocol,
)
_TEXT_LIMIT = 4096
_CAPTION_LIMIT = 1024
_CAPTIONED = frozenset(
    {"sendPhoto", "sendDocument", "sendVideo", "sendAudio", "sendAnimation", "sendVoice"}
)
_TAG = re.compile(r"<[^>]*>")
_MARKDOWN_V2 = re.compile(r"([_*\[\]()~`>#+\-=|{}.!\\])")
_MARKDOWN = re.compile(r"([_*`\[])")


def may_have_arrived(error: BaseException) -> bool:
    """Return whether a failed call may still have delivered its message (see the module)."""
    if isinstance(error, _REFUSED):
        return False
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, _NEVER_SENT):
            return False
        cause = cause.__cause__
    return True


class ResendNotes:
    """Put the note "this may repeat an earlier message" on a call, in its reader's language."""

    def __init__(
        self,
        outbox: OutboxRepository,
        group_language: Callable[[int], Awaitable[Language]] | None = None,
    ) -> None:
        self._outbox = outbox
        self._group_language = group_language

    async def language(self, row: OutboxRow) -> Language:
        """Return the language the chat reads: its partner's in groups, the resident's own."""
        if row.chat_id < 0:
            if self._group_language is None:
                return Language.NL
            return await self._group_language(row.chat_id)
        try:
            code = await self._outbox.reader_language(row.chat_id, row.report_id)
            language = None if code is None else Language(code)
        except Exception:
            log.exception("outbox row %d: the reader's language could not be read", row.id)
            language = None
        return language if language in languages() else Language.NL

    async def mark(self, row: OutboxRow, params: dict[str, Any]) -> dict[str, Any]:
        """Return the call's parameters with the note; unchanged if the call cannot carry it."""
        marked = with_note(row.method, params, await self.language(row))
        if marked is None:
            log.warning(
                "outbox row %d (%s, %s) is sent again without a note: no room for one",
                row.id,
                row.kind,
                row.method,
            )
            return params
        return marked


def with_note(method: str, params: dict[str, Any], language: Language) -> dict[str, Any] | None:
    """Return the parameters with the note above the text or caption; None without room.

    A text gets it as its first line, a photo or document its caption, an album its first
    item's caption. A pin, venue, contact or forwarded message has no text of its own to carry
    it, and a copy without its own caption would lose the original's: those return None, as
    does a text or caption that the note would push over Telegram's length limit.
    """
    if method == "sendMessage":
        return _prefixed(params, "text", "entities", _TEXT_LIMIT, language)
    if method in _CAPTIONED or (method == "copyMessage" and params.get("caption")):
        return _prefixed(params, "caption", "caption_entities", _CAPTION_LIMIT, language)
    media = params.get("media")
    if method == "sendMediaGroup" and isinstance(media, list) and media:
        first = _prefixed(media[0], "caption", "caption_entities", _CAPTION_LIMIT, language)
        return None if first is None else {**params, "media": [first, *media[1:]]}
    return None


def _prefixed(
    fields: dict[str, Any], key: str, entities_key: str, limit: int, language: Language
) -> dict[str, Any] | None:
    """Return `fields` with the note as the first line of fields[key], or None without room."""
    note = plain(T.RESEND_NOTE, language)
    mode = str(fields.get("parse_mode") or "")
    body = str(fields.get(key) or "")
    if mode.upper() == "HTML":
        line = f"<i>{html.escape(note, quote=False)}</i>"
        shown = _utf16(html.unescape(_TAG.sub("", line + "\n" + body)))
    elif mode == "MarkdownV2":
        line = "_" + _MARKDOWN_V2.sub(r"\\\1", note) + "_"
        shown = _utf16(note + "\n" + body)
    elif mode == "Markdown":
        line = _MARKDOWN.sub(r"\\\1", note)
        shown = _utf16(note + "\n" + body)
    else:
        line = note
        shown = _utf16(note + "\n" + body)
    if shown > limit:
        return None
    marked = {**fields, key: f"{line}\n{body}" if body else line}
    entities = fields.get(entities_key)
    if not mode and isinstance(entities, list):
        shift = _utf16(note + "\n")
        marked[entities_key] = [
            {**entity, "offset": int(entity["offset"]) + shift} for entity in entities
        ]
    return marked


def _utf16(text: str) -> int:
    """Return a text's length as Telegram counts it, in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2
