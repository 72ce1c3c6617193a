"""The fake's memory: users, groups, messages, files, button presses and what the bot sent."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Callable
from typing import Any

from .errors import ApiError, bad_request, forbidden
from .models import (
    CallbackRecord,
    FakeGroup,
    FakeUser,
    JSONDict,
    SentMessage,
    StoredFile,
)
from .spec import ApiSpec
from .updates import UpdateQueue

Chat = FakeUser | FakeGroup
CALLBACK_LIFETIME = 150.0


class World:
    """All state of one fake Telegram, shared by the HTTP side and the simulation side."""

    def __init__(
        self, spec: ApiSpec, bot_user: JSONDict, clock: Callable[[], float] = time.time
    ) -> None:
        self.spec = spec
        self.bot_user = bot_user
        self.clock = clock
        self.users: dict[int, FakeUser] = {}
        self.groups: dict[int, FakeGroup] = {}
        self.messages: dict[tuple[int, int], JSONDict] = {}
        self.bot_messages: set[tuple[int, int]] = set()
        self.files: dict[str, StoredFile] = {}
        self.photo_sizes: dict[str, list[JSONDict]] = {}
        self.callbacks: dict[str, CallbackRecord] = {}
        self.sent: list[SentMessage] = []
        self.consumed: set[int] = set()
        self.deleted: list[tuple[int, int]] = []
        self.undelivered: list[JSONDict] = []
        self.chat_actions: list[tuple[int, str]] = []
        self.commands: dict[tuple[str, str], list[JSONDict]] = {}
        self.menu_buttons: dict[int | None, JSONDict] = {}
        self.reply_keyboards: dict[int, JSONDict | None] = {}
        self.updates = UpdateQueue()
        self.webhook_url = ""
        self.webhook_secret = ""
        self._ids = itertools.count(1)
        self._message_ids: dict[int, int] = {}
        self._sent_changed = asyncio.Event()

    def now(self) -> int:
        """Return the current Unix time as Telegram stamps it on messages."""
        return int(self.clock())

    def unique(self, prefix: str) -> str:
        """Return a new unique identifier such as a file_id or a callback query id."""
        return f"{prefix}{next(self._ids):06d}"

    def next_message_id(self, chat_id: int) -> int:
        """Allocate the next message id of a chat; users and the bot share the sequence."""
        self._message_ids[chat_id] = self._message_ids.get(chat_id, 0) + 1
        return self._message_ids[chat_id]

    def find_chat(self, chat_id: int | str) -> Chat:
        """Resolve a chat_id parameter (an id or @username) or refuse with "chat not found"."""
        if isinstance(chat_id, str):
            name = chat_id.removeprefix("@")
            chats: list[Chat] = [*self.users.values(), *self.groups.values()]
            for candidate in chats:
                if candidate.username and candidate.username.lower() == name.lower():
                    return candidate
            raise bad_request("chat not found")
        found: Chat | None = self.users.get(chat_id) or self.groups.get(chat_id)
        if found is None:
            raise bad_request("chat not found")
        return found

    def writable_chat(self, chat_id: int | str) -> Chat:
        """Resolve a chat the bot may post to, or refuse like Telegram."""
        chat = self.find_chat(chat_id)
        if isinstance(chat, FakeUser):
            if chat.blocked:
                raise forbidden("bot was blocked by the user")
            if not chat.started:
                raise forbidden("bot can't initiate conversation with a user")
        elif chat.bot_status in ("left", "kicked"):
            kind = "supergroup" if chat.type == "supergroup" else "group"
            raise forbidden(f"bot is not a member of the {kind} chat")
        return chat

    def chat_dict(self, chat: Chat) -> JSONDict:
        """Return a chat as a Bot API Chat object."""
        return chat.private_chat() if isinstance(chat, FakeUser) else chat.as_dict()

    def message(self, chat_id: int, message_id: int) -> JSONDict | None:
        """Return the current state of a message, or None if it never existed or was deleted."""
        return self.messages.get((chat_id, message_id))

    def store(self, message: JSONDict, *, by_bot: bool) -> JSONDict:
        """Remember a message so replies, edits and button presses can find it."""
        key = (int(message["chat"]["id"]), int(message["message_id"]))
        self.messages[key] = message
        if by_bot:
            self.bot_messages.add(key)
        return message

    def record(self, sent: SentMessage) -> None:
        """Log a message the bot sent or edited and wake anyone waiting for it."""
        self.sent.append(sent)
        self._sent_changed.set()
        self._sent_changed = asyncio.Event()

    async def sent_changed(self, wait: float) -> None:
        """Wait until the bot sends or edits something, or wait seconds pass."""
        event = self._sent_changed
        try:
            await asyncio.wait_for(event.wait(), wait)
        except TimeoutError:
            return

    def callback(self, query_id: str) -> CallbackRecord:
        """Return a pending button press or refuse like Telegram does for stale ids."""
        record = self.callbacks.get(query_id)
        expired = record is not None and self.clock() - record.created > CALLBACK_LIFETIME
        if record is not None and expired:
            record.answered_too_late = True
        if record is None or record.answer is not None or expired:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        return record

    def file(self, file_id: str) -> StoredFile:
        """Return a stored file by file_id or refuse it."""
        stored = self.files.get(file_id)
        if stored is None:
            raise bad_request("wrong file identifier/HTTP URL specified")
        return stored

    def add_file(self, kind: str, data: bytes, extension: str) -> StoredFile:
        """Store file content and give it a fresh file_id and path."""
        number = self.unique("")
        stored = StoredFile(
            file_id=f"AgAC{kind[:3].upper()}{number}",
            file_unique_id=f"AQAD{number}",
            file_path=f"{kind}s/file_{number}.{extension}",
            data=data,
        )
        self.files[stored.file_id] = stored
        return stored

    def file_by_path(self, path: str) -> StoredFile | None:
        """Return a stored file by its download path."""
        return next((f for f in self.files.values() if f.file_path == path), None)


def ensure(condition: Any, error: ApiError) -> None:
    """Raise error unless condition holds."""
    if not condition:
        raise error
