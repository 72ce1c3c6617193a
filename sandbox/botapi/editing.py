"""Behaviour of edits, deletions and answers to button presses."""

from __future__ import annotations

import json

from .errors import bad_request, no_behaviour
from .models import FakeGroup, JSONDict
from .outgoing import formatted, record_sent
from .validate import Validated
from .world import Chat, World

DELETE_WINDOW_SECONDS = 48 * 3600
"""How long after it was sent Telegram lets a bot delete a message."""

_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
_CAPTIONED = ("photo", "document", "video", "audio", "animation", "voice")


def _target(world: World, v: Validated, method: str) -> tuple[int, JSONDict]:
    """Find the bot message an edit is about, refusing like Telegram."""
    if "inline_message_id" in v.params:
        raise no_behaviour(f"{method} of inline messages")
    if "chat_id" not in v.params or "message_id" not in v.params:
        raise bad_request("chat_id and message_id are required without inline_message_id")
    chat = world.find_chat(v.params["chat_id"])
    message = world.message(chat.id, int(v.params["message_id"]))
    if message is None:
        raise bad_request("message to edit not found")
    if (chat.id, message["message_id"]) not in world.bot_messages:
        raise bad_request("message can't be edited")
    return chat.id, message


def _same(a: object, b: object) -> bool:
    """Compare two JSON values the way Telegram compares message content."""
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def _apply(world: World, message: JSONDict, changes: JSONDict, markup: JSONDict | None) -> JSONDict:
    """Store an edited copy of message with new content and markup."""
    edited = {k: v for k, v in message.items() if k != "reply_markup"}
    edited.update(changes)
    if markup is not None:
        edited["reply_markup"] = markup
    edited["edit_date"] = world.now()
    return world.store(edited, by_bot=True)


async def edit_message_text(world: World, v: Validated) -> JSONDict:
    """Replace the text of a bot message; the keyboard goes unless it is sent again."""
    _, message = _target(world, v, "editMessageText")
    if "text" not in message:
        raise bad_request("there is no text in the message to edit")
    new = formatted(v, "text", "entities")
    markup = v.params.get("reply_markup")
    old = {"text": message["text"], "entities": message.get("entities", [])}
    if _same(old, {"entities": [], **new}) and _same(message.get("reply_markup"), markup):
        raise bad_request(_NOT_MODIFIED)
    changes = {"text": new["text"], "entities": new.get("entities", [])}
    edited = _apply(world, message, changes, markup)
    if not edited["entities"]:
        del edited["entities"]
    record_sent(world, "editMessageText", edited, v, edited=True)
    return edited


async def edit_message_caption(world: World, v: Validated) -> JSONDict:
    """Replace the caption of a bot media message."""
    _, message = _target(world, v, "editMessageCaption")
    if not any(kind in message for kind in _CAPTIONED):
        raise bad_request("there is no caption in the message to edit")
    new = formatted(v, "caption", "caption_entities")
    markup = v.params.get("reply_markup")
    old = {k: message[k] for k in ("caption", "caption_entities") if k in message}
    if _same(old, {k: x for k, x in new.items() if x}) and _same(
        message.get("reply_markup"), markup
    ):
        raise bad_request(_NOT_MODIFIED)
    edited = _apply(world, message, {}, markup)
    for key in ("caption", "caption_entities"):
        edited.pop(key, None)
    edited.update({k: x for k, x in new.items() if x})
    record_sent(world, "editMessageCaption", edited, v, edited=True)
    return edited


async def edit_message_reply_markup(world: World, v: Validated) -> JSONDict:
    """Replace or remove the inline keyboard of a bot message."""
    _, message = _target(world, v, "editMessageReplyMarkup")
    markup = v.params.get("reply_markup")
    if _same(message.get("reply_markup"), markup):
        raise bad_request(_NOT_MODIFIED)
    edited = _apply(world, message, {}, markup)
    record_sent(world, "editMessageReplyMarkup", edited, v, edited=True)
    return edited


def _check_deletable(world: World, chat: Chat, key: tuple[int, int]) -> None:
    """Refuse like Telegram to delete a message older than 48 hours or someone else's in a group.

    "A message can only be deleted if it was sent less than 48 hours ago", for every bot, admin
    or not (core.telegram.org/bots/api#deletemessage); the age counts from the message's date,
    on the fake's clock.
    """
    message = world.messages[key]
    if world.now() - int(message.get("date", 0)) >= DELETE_WINDOW_SECONDS:
        raise bad_request("message can't be deleted")
    bot_is_admin = isinstance(chat, FakeGroup) and chat.bot_status in ("administrator", "creator")
    if isinstance(chat, FakeGroup) and key not in world.bot_messages and not bot_is_admin:
        raise bad_request("message can't be deleted")


async def delete_message(world: World, v: Validated) -> bool:
    """Delete a message the bot may delete."""
    chat = world.find_chat(v.params["chat_id"])
    key = (chat.id, int(v.params["message_id"]))
    if key not in world.messages:
        raise bad_request("message to delete not found")
    _check_deletable(world, chat, key)
    del world.messages[key]
    world.deleted.append(key)
    return True


async def delete_messages(world: World, v: Validated) -> bool:
    """Delete several messages at once; unknown ones are skipped, as Telegram documents.

    Telegram does not document what happens when one of them may not be deleted; the fake
    refuses the whole call then and deletes none.
    """
    chat = world.find_chat(v.params["chat_id"])
    keys = [(chat.id, int(message_id)) for message_id in v.params["message_ids"]]
    found = [key for key in keys if key in world.messages]
    for key in found:
        _check_deletable(world, chat, key)
    for key in found:
        del world.messages[key]
        world.deleted.append(key)
    return True


async def answer_callback_query(world: World, v: Validated) -> bool:
    """Answer a button press once; later answers are refused like stale ones."""
    record = world.callback(str(v.params["callback_query_id"]))
    record.answer = {k: x for k, x in v.params.items() if k != "callback_query_id"}
    return True
