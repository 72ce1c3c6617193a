"""Build the Bot API objects the fake answers with, and log what the bot sent."""

from __future__ import annotations

from typing import Any

from .errors import bad_request
from .models import JSONDict, SentMessage, flat_buttons
from .spec import ApiSpec
from .validate import Validated
from .world import Chat, World

_DEFAULTS: dict[str, Any] = {"Boolean": False, "Integer": 0, "Float": 0.0, "String": ""}
_MEDIA = ("photo", "document", "video", "audio", "animation", "voice", "video_note", "sticker")


def spec_object(spec: ApiSpec, type_name: str, values: JSONDict) -> JSONDict:
    """Return values completed with neutral defaults for every other required field."""
    result = dict(values)
    for field in spec.types[type_name].fields.values():
        if field.required and field.name not in result:
            kind = field.types[0]
            if field.constant:
                result[field.name] = field.constant
            elif kind in _DEFAULTS:
                result[field.name] = _DEFAULTS[kind]
            elif kind.startswith("Array of "):
                result[field.name] = []
            else:
                result[field.name] = spec_object(spec, kind, {})
    return result


_MEMBER_TYPES = {
    "creator": "ChatMemberOwner",
    "administrator": "ChatMemberAdministrator",
    "member": "ChatMemberMember",
    "restricted": "ChatMemberRestricted",
    "left": "ChatMemberLeft",
    "kicked": "ChatMemberBanned",
}
_ADMIN_RIGHTS = (
    "can_manage_chat",
    "can_delete_messages",
    "can_restrict_members",
    "can_invite_users",
    "can_pin_messages",
    "can_change_info",
)


def chat_member(spec: ApiSpec, user: JSONDict, status: str) -> JSONDict:
    """Return a ChatMember object of the given status for user."""
    values: JSONDict = {"status": status, "user": user}
    if status == "administrator":
        values.update(dict.fromkeys(_ADMIN_RIGHTS, True))
    if status == "restricted":
        values["is_member"] = True
    return spec_object(spec, _MEMBER_TYPES[status], values)


def message_author(world: World) -> JSONDict:
    """Return the bot as the "from" User of its messages."""
    keys = ("id", "is_bot", "first_name", "username")
    return {k: world.bot_user[k] for k in keys if k in world.bot_user}


def _reply_to(world: World, chat: Chat, params: JSONDict) -> JSONDict | None:
    """Resolve reply_parameters to the replied message, refusing unknown ones."""
    reply = params.get("reply_parameters")
    if not reply:
        return None
    chat_id = reply.get("chat_id", chat.id)
    target = world.find_chat(chat_id).id
    original = world.message(target, int(reply["message_id"]))
    if original is None:
        if reply.get("allow_sending_without_reply"):
            return None
        raise bad_request("message to be replied not found")
    return {k: v for k, v in original.items() if k != "reply_to_message"}


def remember_keyboard(world: World, chat: Chat, params: JSONDict) -> JSONDict | None:
    """Track a reply keyboard for the chat; return the markup if it belongs on the message."""
    markup = params.get("reply_markup")
    if not isinstance(markup, dict):
        return None
    if "inline_keyboard" in markup:
        return markup
    if "keyboard" in markup:
        world.reply_keyboards[chat.id] = markup
    elif markup.get("remove_keyboard"):
        world.reply_keyboards[chat.id] = None
    return None


def bot_message(world: World, chat: Chat, params: JSONDict, content: JSONDict) -> JSONDict:
    """Create and store a message from the bot in chat with the given content fields."""
    reply_to = _reply_to(world, chat, params)
    message: JSONDict = {
        "message_id": world.next_message_id(chat.id),
        "from": message_author(world),
        "chat": world.chat_dict(chat),
        "date": world.now(),
    }
    if reply_to is not None:
        message["reply_to_message"] = reply_to
    message.update(content)
    inline = remember_keyboard(world, chat, params)
    if inline is not None:
        message["reply_markup"] = inline
    if params.get("protect_content"):
        message["has_protected_content"] = True
    return world.store(message, by_bot=True)


def formatted(v: Validated, name: str, entities_key: str) -> JSONDict:
    """Return the plain text and entities of a formatted parameter as message fields."""
    parsed = v.texts.get(name)
    if parsed is None:
        return {}
    fields: JSONDict = {name: parsed.text}
    if parsed.entities:
        fields[entities_key] = parsed.entities
    return fields


def message_kind(message: JSONDict) -> str:
    """Return what a message mainly contains: text, photo, location, ..."""
    for kind in ("text", *_MEDIA, "venue", "location", "contact", "poll", "dice"):
        if kind in message:
            return kind
    return "other"


def record_sent(
    world: World, method: str, message: JSONDict, v: Validated, *, edited: bool = False
) -> SentMessage:
    """Log a message the bot sent or edited as the resident would see it."""
    markup = v.params.get("reply_markup")
    sent = SentMessage(
        chat_id=int(message["chat"]["id"]),
        message_id=int(message["message_id"]),
        method=method,
        text=str(message.get("text", message.get("caption", ""))),
        html=v.params.get("text", v.params.get("caption")),
        reply_markup=markup,
        buttons=flat_buttons(markup),
        params=v.params,
        message=message,
        kind=message_kind(message),
        edited=edited,
        entities=list(message.get("entities") or message.get("caption_entities") or []),
    )
    world.record(sent)
    return sent
