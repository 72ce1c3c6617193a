"""Which failed calls may have delivered their message, and how a repeat is marked."""

from __future__ import annotations

import socket
from typing import Any

import httpx
import pytest
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.request import HTTPXRequest

from bot.request import AiohttpRequest
from bot.resends import may_have_arrived, with_note
from handlers.texts import T, plain
from reports.models import Language

NOTE = plain(T.RESEND_NOTE, Language.NL)
BUTTONS = {"inline_keyboard": [[{"text": "🙋 Oppakken", "callback_data": "p:7:cl:"}]]}


def caused(error: Exception, cause: BaseException) -> Exception:
    """Return error as PTB raises it: `raise error from cause`."""
    error.__cause__ = cause
    return error


@pytest.mark.parametrize(
    "error",
    [
        RetryAfter(3),
        BadRequest("Bad Request: can't parse entities"),
        Forbidden("Forbidden: bot was blocked by the user"),
        InvalidToken("Unauthorized"),
        ChatMigrated(-1002),
        Conflict("Conflict: terminated by other getUpdates request"),
        caused(NetworkError("httpx.ConnectError: refused"), httpx.ConnectError("refused")),
        caused(TimedOut(), httpx.ConnectTimeout("no connection")),
        caused(TimedOut("Pool timeout"), httpx.PoolTimeout("pool")),
    ],
    ids=repr,
)
def test_a_refusal_or_a_request_that_never_left_proves_nothing_arrived(error: Exception) -> None:
    assert not may_have_arrived(error)


@pytest.mark.parametrize(
    "error",
    [
        caused(TimedOut(), httpx.ReadTimeout("no answer")),
        caused(TimedOut(), httpx.WriteTimeout("half sent")),
        caused(
            NetworkError("httpx.RemoteProtocolError: Server disconnected"),
            httpx.RemoteProtocolError("Server disconnected without sending a response."),
        ),
        caused(NetworkError("httpx.ReadError: reset"), httpx.ReadError("reset")),
        NetworkError("Internal Server Error"),
        NetworkError("Bad Gateway (502). Parsing the server response failed"),
        TelegramError("Invalid server response"),
        RuntimeError("anything else after the request left"),
    ],
    ids=repr,
)
def test_a_lost_answer_or_a_5xx_leaves_open_whether_the_message_arrived(error: Exception) -> None:
    assert may_have_arrived(error)


@pytest.mark.parametrize("client", [HTTPXRequest, AiohttpRequest], ids=lambda c: c.__name__)
async def test_a_refused_connection_through_ptb_proves_nothing_arrived(
    client: type[HTTPXRequest] | type[AiohttpRequest],
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    request = client(connect_timeout=2.0)
    await request.initialize()
    try:
        with pytest.raises(NetworkError) as raised:
            await request.post(f"http://127.0.0.1:{port}/bot1:x/sendMessage")
    finally:
        await request.shutdown()
    assert not may_have_arrived(raised.value)


def test_an_html_text_gets_the_note_in_italics_above_it_and_keeps_its_buttons() -> None:
    params = {"text": "<b>Melding</b> ENS-2026-0001", "parse_mode": "HTML", "reply_markup": BUTTONS}
    marked = with_note("sendMessage", params, Language.NL)
    assert marked == {**params, "text": f"<i>{NOTE}</i>\n<b>Melding</b> ENS-2026-0001"}
    assert marked["reply_markup"] is BUTTONS
    assert params["text"] == "<b>Melding</b> ENS-2026-0001", (
        "the stored parameters stay as they were"
    )


def test_the_note_speaks_the_readers_language() -> None:
    marked = with_note("sendMessage", {"text": "Hi"}, Language.EN)
    assert marked == {"text": "🔁 This message may repeat an earlier one.\nHi"}


def test_entities_of_a_plain_text_move_down_by_the_note_in_utf16_units() -> None:
    params: dict[str, Any] = {
        "text": "Melding 42",
        "entities": [{"type": "bold", "offset": 0, "length": 7}],
    }
    marked = with_note("sendMessage", params, Language.NL)
    assert marked is not None
    shift = len((NOTE + "\n").encode("utf-16-le")) // 2
    assert shift == len(NOTE) + 2, "the 🔁 emoji counts twice in UTF-16"
    assert marked["entities"] == [{"type": "bold", "offset": shift, "length": 7}]


def test_markdown_v2_gets_an_escaped_note() -> None:
    marked = with_note(
        "sendMessage", {"text": "*Melding*", "parse_mode": "MarkdownV2"}, Language.NL
    )
    assert marked is not None
    assert marked["text"] == "_" + NOTE.replace(".", "\\.") + "_\n*Melding*"


def test_a_photo_gets_the_note_in_its_caption_and_a_bare_photo_gets_a_caption() -> None:
    photo = {"photo": "file-id", "caption": "<b>foto</b>", "parse_mode": "HTML"}
    marked = with_note("sendPhoto", photo, Language.NL)
    assert marked is not None and marked["caption"] == f"<i>{NOTE}</i>\n<b>foto</b>"
    bare = with_note("sendPhoto", {"photo": "file-id"}, Language.NL)
    assert bare == {"photo": "file-id", "caption": NOTE}


def test_an_album_gets_the_note_in_its_first_caption_only() -> None:
    media = [{"type": "photo", "media": "a", "caption": "1"}, {"type": "photo", "media": "b"}]
    marked = with_note("sendMediaGroup", {"media": media}, Language.NL)
    assert marked is not None
    assert marked["media"] == [{**media[0], "caption": f"{NOTE}\n1"}, media[1]]


@pytest.mark.parametrize(
    ("method", "params"),
    [
        ("sendLocation", {"latitude": 52.2, "longitude": 6.9}),
        ("sendVenue", {"latitude": 52.2, "longitude": 6.9, "title": "Oude Markt", "address": ""}),
        ("forwardMessage", {"from_chat_id": 5, "message_id": 9}),
        ("copyMessage", {"from_chat_id": 5, "message_id": 9}),
        ("sendMessage", {"text": "x" * 4060}),
        ("sendPhoto", {"photo": "file-id", "caption": "y" * 1000}),
    ],
)
def test_a_call_without_room_for_the_note_is_left_alone(
    method: str, params: dict[str, Any]
) -> None:
    assert with_note(method, params, Language.NL) is None
