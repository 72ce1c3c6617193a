"""Simulate people: users and groups, and the messages they send to the bot."""

from __future__ import annotations

from typing import Any

from .models import FakeGroup, FakeUser, JSONDict, SentMessage
from .outgoing import chat_member
from .validate import check_value
from .world import World

MessageRef = JSONDict | SentMessage | int
ChatRef = FakeGroup | FakeUser | None


class _HasWorld:
    """Something that owns the fake's World."""

    world: World


def _utf16(text: str) -> int:
    """Return the length of text in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


class Residents(_HasWorld):
    """Simulation API for people and what they send."""

    privacy_mode: bool = True

    def user(
        self,
        user_id: int,
        first_name: str = "Anna",
        language_code: str | None = "nl",
        username: str | None = None,
        *,
        last_name: str | None = None,
        started: bool = False,
    ) -> FakeUser:
        """Create (or return) a user; started=True as if they had already written to the bot."""
        assert user_id > 0, "user ids are positive"
        if user_id not in self.world.users:
            self.world.users[user_id] = FakeUser(
                user_id, first_name, language_code, username, last_name
            )
        user = self.world.users[user_id]
        user.started = user.started or started
        return user

    def group(self, chat_id: int, title: str, *, username: str | None = None) -> FakeGroup:
        """Create (or return) a group; the bot joins only through add_bot_to_group."""
        assert chat_id < 0, "group ids are negative"
        if chat_id not in self.world.groups:
            self.world.groups[chat_id] = FakeGroup(chat_id, title, username)
        return self.world.groups[chat_id]

    def block(self, user: FakeUser) -> None:
        """Let user block the bot: sends to them fail with 403 until they write again."""
        user.blocked = True

    def set_member_status(self, group: FakeGroup, user: FakeUser, status: str) -> None:
        """Set a user's status in a group: creator, administrator, member, left, kicked..."""
        group.members[user.id] = status

    def _chat(self, user: FakeUser, chat: ChatRef) -> FakeUser | FakeGroup:
        """Return the chat a user writes in: their private chat unless a group is given."""
        if chat is None or chat is user:
            return user
        assert isinstance(chat, FakeGroup), "users can write in their own chat or in a group"
        chat.members.setdefault(user.id, "member")
        return chat

    def _resolve(self, chat_id: int, ref: MessageRef) -> JSONDict:
        """Return the current state of a referenced message in chat_id."""
        message_id = (
            ref
            if isinstance(ref, int)
            else (ref.message_id if isinstance(ref, SentMessage) else int(ref["message_id"]))
        )
        message = self.world.message(chat_id, message_id)
        assert message is not None, f"message {message_id} does not exist in chat {chat_id}"
        return message

    def _push(self, kind: str, payload: JSONDict) -> JSONDict:
        """Queue an update after checking it against the spec."""
        update = self.world.updates.push(kind, payload)
        check_value(self.world.spec, update, "Update")
        return update

    def _reaches_bot(self, chat: FakeUser | FakeGroup, message: JSONDict) -> bool:
        """Return whether Telegram delivers a group message to a bot in privacy mode."""
        if isinstance(chat, FakeUser):
            return True
        if chat.bot_status in ("left", "kicked"):
            return False
        if not self.privacy_mode or chat.bot_status in ("administrator", "creator"):
            return True
        text = str(message.get("text") or message.get("caption") or "")
        username = str(self.world.bot_user["username"]).lower()
        reply = message.get("reply_to_message")
        if reply and reply.get("from", {}).get("id") == self.world.bot_user["id"]:
            return True
        if text.startswith("/"):
            command = text.split()[0]
            return "@" not in command or command.split("@", 1)[1].lower() == username
        return f"@{username}" in text.lower() or "new_chat_members" in message

    def _incoming(
        self,
        user: FakeUser,
        chat: ChatRef,
        content: JSONDict,
        reply_to: MessageRef | None = None,
    ) -> JSONDict:
        """Store a message from user and deliver it to the bot if Telegram would."""
        where = self._chat(user, chat)
        if isinstance(where, FakeUser):
            user.started = True
            user.blocked = False
        message: JSONDict = {
            "message_id": self.world.next_message_id(where.id),
            "from": user.as_dict(),
            "chat": self.world.chat_dict(where),
            "date": self.world.now(),
        }
        if reply_to is not None:
            original = self._resolve(where.id, reply_to)
            message["reply_to_message"] = {
                k: v for k, v in original.items() if k != "reply_to_message"
            }
        message.update(content)
        self.world.store(message, by_bot=False)
        if self._reaches_bot(where, message):
            self._push("message", message)
        else:
            self.world.undelivered.append(message)
        return message

    def send_text(
        self,
        user: FakeUser,
        text: str,
        chat: ChatRef = None,
        reply_to: MessageRef | None = None,
    ) -> JSONDict:
        """Let user send text; a leading /command gets its bot_command entity."""
        content: JSONDict = {"text": text}
        if text.startswith("/"):
            command = text.split()[0]
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": _utf16(command)}]
        return self._incoming(user, chat, content, reply_to)

    send_command = send_text

    def tap_key(self, user: FakeUser, label: str) -> JSONDict:
        """Let user tap a text key of the reply keyboard the bot shows them: Telegram sends
        the key's label as their message. Fails when no shown key has that label."""
        markup = self.world.reply_keyboards.get(user.id) or {}
        keys = [
            key if isinstance(key, dict) else {"text": key}
            for row in markup.get("keyboard", [])
            for key in row
        ]
        for key in keys:
            if key["text"] == label:
                assert len(key) == 1, f"key {label!r} shares something; it sends no text"
                return self.send_text(user, label)
        shown = [key["text"] for key in keys]
        raise AssertionError(f"no key {label!r} on the reply keyboard; it shows {shown}")

    def send_location(
        self,
        user: FakeUser,
        latitude: float,
        longitude: float,
        live_period: int | None = None,
        chat: ChatRef = None,
    ) -> JSONDict:
        """Let user share a location, optionally a live one."""
        location: JSONDict = {"latitude": latitude, "longitude": longitude}
        if live_period is not None:
            location["live_period"] = live_period
        return self._incoming(user, chat, {"location": location})

    def edit_live_location(
        self, user: FakeUser, message: MessageRef, latitude: float, longitude: float
    ) -> JSONDict:
        """Move a live location user shared earlier (an edited_message update)."""
        chat_id = message["chat"]["id"] if isinstance(message, dict) else user.id
        current = self._resolve(int(chat_id), message)
        location = {**current["location"], "latitude": latitude, "longitude": longitude}
        return self._edited(current, {"location": location})

    def edit_text(self, user: FakeUser, message: MessageRef, new_text: str) -> JSONDict:
        """Let user edit the text of a message they sent (an edited_message update)."""
        chat_id = message["chat"]["id"] if isinstance(message, dict) else user.id
        current = self._resolve(int(chat_id), message)
        return self._edited(current, {"text": new_text})

    def _edited(self, current: JSONDict, changes: JSONDict) -> JSONDict:
        """Store and deliver an edited version of a user's message."""
        edited = {**current, **changes, "edit_date": self.world.now()}
        self.world.store(edited, by_bot=False)
        self._push("edited_message", edited)
        return edited

    def send_venue(
        self,
        user: FakeUser,
        latitude: float,
        longitude: float,
        title: str,
        address: str,
        chat: ChatRef = None,
    ) -> JSONDict:
        """Let user share a venue (a place picked from the map)."""
        location = {"latitude": latitude, "longitude": longitude}
        venue = {"location": location, "title": title, "address": address}
        return self._incoming(user, chat, {"venue": venue, "location": location})

    def add_bot_to_group(
        self, user: FakeUser, group: FakeGroup, *, as_admin: bool = False
    ) -> JSONDict:
        """Let user add the bot to group: a my_chat_member update and a service message."""
        old = group.bot_status
        group.bot_status = "administrator" if as_admin else "member"
        group.members.setdefault(user.id, "creator")
        self._member_update(user, group, old, group.bot_status)
        bot = {k: self.world.bot_user[k] for k in ("id", "is_bot", "first_name", "username")}
        return self._incoming(user, group, {"new_chat_members": [bot]})

    def remove_bot_from_group(self, user: FakeUser, group: FakeGroup) -> JSONDict:
        """Let user remove the bot from group (a my_chat_member update)."""
        old = group.bot_status
        group.bot_status = "kicked"
        return self._member_update(user, group, old, "kicked")

    def _member_update(self, user: FakeUser, group: FakeGroup, old: str, new: str) -> JSONDict:
        """Queue a my_chat_member update for a change of the bot's status."""
        bot = {k: self.world.bot_user[k] for k in ("id", "is_bot", "first_name", "username")}
        payload: dict[str, Any] = {
            "chat": group.as_dict(),
            "from": user.as_dict(),
            "date": self.world.now(),
            "old_chat_member": chat_member(self.world.spec, bot, old),
            "new_chat_member": chat_member(self.world.spec, bot, new),
        }
        return self._push("my_chat_member", payload)
