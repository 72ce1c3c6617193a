"""Share the plumbing of resident handlers: one update per resident at a time, and safe replies."""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections import OrderedDict
from collections.abc import Callable, Coroutine
from functools import wraps
from typing import Any

from telegram import (
    Bot,
    CallbackQuery,
    ForceReply,
    InlineKeyboardMarkup,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from services.ports import Rendered

log = logging.getLogger(__name__)

ReplyMarkup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | ForceReply
Handler = Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]

_locks: weakref.WeakValueDictionary[tuple[int, int], asyncio.Lock] = weakref.WeakValueDictionary()
"""One lock per user and event loop: a handler abandoned when a loop stopped (a test's bot,
stopped while a handler still ran) never holds up the same user under the next loop."""


def one_at_a_time(handler: Handler) -> Handler:
    """Run a handler while holding its user's lock, so one resident's updates never interleave."""

    @wraps(handler)
    async def wrapper(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        user = update.effective_user
        if user is None:
            await handler(update, context)
            return
        key = (id(asyncio.get_running_loop()), user.id)
        lock = _locks.get(key)
        if lock is None:
            lock = asyncio.Lock()
            _locks[key] = lock
        async with lock:
            await handler(update, context)

    return wrapper


def html_message(text: str, keyboard: InlineKeyboardMarkup | None = None) -> Rendered:
    """Return a sendMessage call with an HTML text and, when given, its buttons."""
    params: dict[str, object] = {"text": text, "parse_mode": "HTML"}
    if keyboard is not None:
        params["reply_markup"] = keyboard.to_dict()
    return Rendered(params)


async def send(
    context: ContextTypes.DEFAULT_TYPE,
    chat_id: int,
    text: str,
    reply_markup: ReplyMarkup | None = None,
) -> None:
    """Send an HTML text to a chat."""
    params: dict[str, Any] = {"chat_id": chat_id, "text": text, "parse_mode": ParseMode.HTML}
    if reply_markup is not None:
        params["reply_markup"] = reply_markup
    await post_unread(context.bot, "sendMessage", params)


async def post_unread(bot: Bot, method: str, params: dict[str, Any]) -> None:
    """Call a Bot API method whose answer nobody reads: PTB's own path (its defaults, the
    rate limiter, its errors), but the answer is not turned into objects (a `Message` with
    its chat, sender and keyboard), which cost about a tenth of an answer's CPU."""
    await bot._post(method, params)


_RECENTLY_CLOSED_MAX = 10_000
_recently_closed: OrderedDict[tuple[int, int, int], None] = OrderedDict()
"""Questions whose buttons this process took off; Telegram refuses removing them twice.
Keyed by event loop, chat and message: another loop is another bot (tests run many bots in
one process, and their chats' message ids start over)."""


def shows_pressed_button(query: CallbackQuery) -> bool:
    """Return whether the message still shows the pressed button, as it does for a real tap."""
    message = query.message
    if not isinstance(message, Message) or message.reply_markup is None:
        return False
    return any(
        button.callback_data == query.data
        for row in message.reply_markup.inline_keyboard
        for button in row
    )


def note_closing(query: CallbackQuery) -> bool:
    """Note that the pressed message is being closed (by this handler, or by an edit queued in
    the outbox), so a second tap on its way does not close it again; False if it was noted."""
    message = query.message
    if message is None:
        return False
    key = (id(asyncio.get_running_loop()), message.chat.id, message.message_id)
    if key in _recently_closed:
        return False
    _recently_closed[key] = None
    while len(_recently_closed) > _RECENTLY_CLOSED_MAX:
        _recently_closed.popitem(last=False)
    return True


async def close_question(query: CallbackQuery, text: str | None = None) -> None:
    """Take the buttons off an answered question, showing the answer when given.

    A message that no longer shows the pressed button (tapped again after it was closed, or a
    forged press) is left alone: its buttons, if any, belong to a question still open.
    """
    message = query.message
    if not shows_pressed_button(query) or message is None:
        return
    if not note_closing(query):
        # A second tap that was on its way while the first closed this question.
        return
    try:
        if text is None:
            await query.edit_message_reply_markup(reply_markup=None)
        else:
            await query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=None)
    except BadRequest as exc:
        # The message may be too old to edit or already show this state; the flow goes on.
        log.debug("could not close question: %s", exc.message)


async def turn_question(
    query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None
) -> bool:
    """Replace an answered question by the next one in the same message; False when it could
    not be (the message no longer shows the pressed button or was closed, or Telegram refused
    the edit), and nothing was changed.

    A message is turned again and again (each answer turns it into the next question); a
    second tap of a button already answered never gets here, as its step has passed.
    """
    message = query.message
    if not shows_pressed_button(query) or message is None:
        return False
    if (id(asyncio.get_running_loop()), message.chat.id, message.message_id) in _recently_closed:
        return False
    params: dict[str, Any] = {
        "chat_id": message.chat.id,
        "message_id": message.message_id,
        "text": text,
        "parse_mode": ParseMode.HTML,
    }
    if markup is not None:
        params["reply_markup"] = markup
    try:
        await post_unread(query.get_bot(), "editMessageText", params)
    except BadRequest as exc:
        log.debug("could not turn the question into the next: %s", exc.message)
        return False
    return True


async def replace_buttons(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup) -> None:
    """Show a new question with new buttons in the same message."""
    try:
        await query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=markup)
    except BadRequest as exc:
        log.debug("could not edit question: %s", exc.message)
        message = query.message
        if message is not None:
            await query.get_bot().send_message(
                chat_id=message.chat.id, text=text, parse_mode=ParseMode.HTML, reply_markup=markup
            )
