"""Keep the imitation's chats across restarts of the sandbox: people, groups, messages, files.

Telegram keeps a chat's history and counts update ids on; so must the sandbox, or the bot, which
remembers the update ids it handled, would take the first updates after a restart for ones it
already had. Button presses in flight and undelivered updates are not kept.
"""

from __future__ import annotations

import base64
import itertools
import json
import os
from dataclasses import asdict
from pathlib import Path
from typing import Any

from .models import FakeGroup, FakeUser, StoredFile
from .world import World

VERSION = 1


def save_world(world: World, path: Path) -> None:
    """Write the world to path (atomically: a new file, then a rename)."""
    next_id = next(world._ids)
    world._ids = itertools.count(next_id)
    data: dict[str, Any] = {
        "version": VERSION,
        "next_update_id": world.updates._next_id,
        "next_unique": next_id,
        "users": [asdict(user) for user in world.users.values()],
        "groups": [asdict(group) for group in world.groups.values()],
        "messages": [message for _, message in sorted(world.messages.items())],
        "bot_messages": sorted(world.bot_messages),
        "message_ids": sorted(world._message_ids.items()),
        "files": [
            {**asdict(stored), "data": base64.b64encode(stored.data).decode("ascii")}
            for stored in world.files.values()
        ],
        "photo_sizes": world.photo_sizes,
        "reply_keyboards": sorted(world.reply_keyboards.items()),
    }
    temporary = path.with_suffix(path.suffix + ".tmp")
    temporary.write_text(json.dumps(data), encoding="utf-8")
    os.replace(temporary, path)


def load_world(world: World, path: Path) -> bool:
    """Fill an empty world from path; return False when there is no usable snapshot."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(data, dict) or data.get("version") != VERSION:
        return False
    world.updates._next_id = max(world.updates._next_id, int(data["next_update_id"]))
    world._ids = itertools.count(int(data["next_unique"]))
    for user in data["users"]:
        world.users[int(user["id"])] = FakeUser(**user)
    for group in data["groups"]:
        members = {int(k): v for k, v in group.pop("members").items()}
        world.groups[int(group["id"])] = FakeGroup(**group, members=members)
    for message in data["messages"]:
        world.messages[(int(message["chat"]["id"]), int(message["message_id"]))] = message
    world.bot_messages = {(int(chat), int(number)) for chat, number in data["bot_messages"]}
    world._message_ids = {int(chat): int(number) for chat, number in data["message_ids"]}
    for stored in data["files"]:
        stored["data"] = base64.b64decode(stored["data"])
        world.files[stored["file_id"]] = StoredFile(**stored)
    world.photo_sizes = dict(data["photo_sizes"])
    world.reply_keyboards = {int(chat): markup for chat, markup in data["reply_keyboards"]}
    return True
