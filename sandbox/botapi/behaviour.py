"""Which method the fake can perform, by lower-case Bot API method name."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from . import editing, managing, sending
from .validate import Validated
from .world import World

Behaviour = Callable[[World, Validated], Awaitable[Any]]

BEHAVIOURS: dict[str, Behaviour] = {
    "getme": managing.get_me,
    "deletewebhook": managing.delete_webhook,
    "setwebhook": managing.set_webhook,
    "getwebhookinfo": managing.get_webhook_info,
    "getupdates": managing.get_updates,
    "setmycommands": managing.set_my_commands,
    "getmycommands": managing.get_my_commands,
    "deletemycommands": managing.delete_my_commands,
    "setchatmenubutton": managing.set_chat_menu_button,
    "getchatmenubutton": managing.get_chat_menu_button,
    "getfile": managing.get_file,
    "getchat": managing.get_chat,
    "getchatmember": managing.get_chat_member,
    "getchatadministrators": managing.get_chat_administrators,
    "sendmessage": sending.send_message,
    "sendphoto": sending.send_photo,
    "senddocument": sending.send_document,
    "sendmediagroup": sending.send_media_group,
    "sendlocation": sending.send_location,
    "sendvenue": sending.send_venue,
    "sendcontact": sending.send_contact,
    "sendchataction": sending.send_chat_action,
    "editmessagetext": editing.edit_message_text,
    "editmessagecaption": editing.edit_message_caption,
    "editmessagereplymarkup": editing.edit_message_reply_markup,
    "deletemessage": editing.delete_message,
    "deletemessages": editing.delete_messages,
    "answercallbackquery": editing.answer_callback_query,
}

SENDING = frozenset(
    {
        "sendmessage",
        "sendphoto",
        "senddocument",
        "sendmediagroup",
        "sendlocation",
        "sendvenue",
        "sendcontact",
        "editmessagetext",
        "editmessagecaption",
        "editmessagereplymarkup",
    }
)
