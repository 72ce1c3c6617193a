"""Behaviour of bot setup, polling, chats and files."""

from __future__ import annotations

import json

from .errors import ApiError, bad_request
from .models import FakeGroup, FakeUser, JSONDict
from .outgoing import chat_member, spec_object
from .validate import Validated
from .world import World


async def get_me(world: World, v: Validated) -> JSONDict:
    """Return the bot's own User."""
    return world.bot_user


async def delete_webhook(world: World, v: Validated) -> bool:
    """Remove the webhook; optionally drop pending updates."""
    world.webhook_url = ""
    if v.params.get("drop_pending_updates"):
        world.updates.drop_pending()
    return True


async def set_webhook(world: World, v: Validated) -> bool:
    """Post updates to url from now on (see webhook.py), with the secret token given."""
    world.webhook_url = str(v.params["url"])
    world.webhook_secret = str(v.params.get("secret_token", ""))
    if v.params.get("drop_pending_updates"):
        world.updates.drop_pending()
    return True


async def get_webhook_info(world: World, v: Validated) -> JSONDict:
    """Describe the (absent) webhook."""
    return {
        "url": world.webhook_url,
        "has_custom_certificate": False,
        "pending_update_count": len(world.updates.pending),
    }


async def get_updates(world: World, v: Validated) -> list[JSONDict]:
    """Long-poll for updates with Telegram's offset semantics."""
    if world.webhook_url:
        raise ApiError(
            409,
            "Conflict: can't use getUpdates method while webhook is active; "
            "use deleteWebhook to delete the webhook first",
        )
    if "allowed_updates" in v.params:
        world.updates.set_allowed(list(v.params["allowed_updates"]))
    return await world.updates.get(
        offset=int(v.params.get("offset", 0)),
        limit=int(v.params.get("limit", 100)),
        wait=float(v.params.get("timeout", 0)),
    )


def _scope_key(v: Validated) -> tuple[str, str]:
    """Return the storage key of a command scope and language."""
    scope = v.params.get("scope") or {"type": "default"}
    return json.dumps(scope, sort_keys=True), str(v.params.get("language_code", ""))


async def set_my_commands(world: World, v: Validated) -> bool:
    """Store the command list for a scope and language."""
    world.commands[_scope_key(v)] = list(v.params["commands"])
    return True


async def get_my_commands(world: World, v: Validated) -> list[JSONDict]:
    """Return the command list of exactly this scope and language."""
    return world.commands.get(_scope_key(v), [])


async def delete_my_commands(world: World, v: Validated) -> bool:
    """Forget the command list of a scope and language."""
    world.commands.pop(_scope_key(v), None)
    return True


async def set_chat_menu_button(world: World, v: Validated) -> bool:
    """Store the menu button of a private chat or the default one."""
    chat_id = v.params.get("chat_id")
    if chat_id is not None:
        world.find_chat(chat_id)
    world.menu_buttons[chat_id] = v.params.get("menu_button") or {"type": "default"}
    return True


async def get_chat_menu_button(world: World, v: Validated) -> JSONDict:
    """Return the menu button of a chat, falling back to the default one."""
    chat_id = v.params.get("chat_id")
    button = world.menu_buttons.get(chat_id) or world.menu_buttons.get(None)
    return button or {"type": "commands"}


async def get_file(world: World, v: Validated) -> JSONDict:
    """Describe a stored file with its download path."""
    stored = world.file(str(v.params["file_id"]))
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": len(stored.data),
        "file_path": stored.file_path,
    }


async def get_chat(world: World, v: Validated) -> JSONDict:
    """Return a ChatFullInfo for a known chat."""
    chat = world.find_chat(v.params["chat_id"])
    base = world.chat_dict(chat)
    base["max_reaction_count"] = 11
    return spec_object(world.spec, "ChatFullInfo", base)


def _status(world: World, chat: FakeUser | FakeGroup, user_id: int) -> str:
    """Return a user's status in a chat."""
    if isinstance(chat, FakeUser):
        if user_id in (chat.id, world.bot_user["id"]):
            return "member"
        raise bad_request("user not found")
    if user_id == world.bot_user["id"]:
        return chat.bot_status
    if user_id not in world.users:
        raise bad_request("user not found")
    return chat.members.get(user_id, "left")


def _user(world: World, user_id: int) -> JSONDict:
    """Return a user or the bot as a User object."""
    if user_id == world.bot_user["id"]:
        keys = ("id", "is_bot", "first_name", "username")
        return {k: world.bot_user[k] for k in keys}
    return world.users[user_id].as_dict()


async def get_chat_member(world: World, v: Validated) -> JSONDict:
    """Return a user's membership of a chat."""
    chat = world.find_chat(v.params["chat_id"])
    user_id = int(v.params["user_id"])
    return chat_member(world.spec, _user(world, user_id), _status(world, chat, user_id))


async def get_chat_administrators(world: World, v: Validated) -> list[JSONDict]:
    """Return the owner and administrators of a group."""
    chat = world.find_chat(v.params["chat_id"])
    if isinstance(chat, FakeUser):
        raise bad_request("there are no administrators in the private chat")
    statuses = dict(chat.members)
    statuses[int(world.bot_user["id"])] = chat.bot_status
    return [
        chat_member(world.spec, _user(world, user_id), status)
        for user_id, status in statuses.items()
        if status in ("creator", "administrator")
    ]
