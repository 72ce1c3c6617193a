"""What a person on the page can do: write, tap, share a place, a contact or a photo, add a
resident, skip the clock. Each action checks its request and raises BadInput with a reason."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from aiohttp import web

from sandbox.botapi import FakeBotApi, FakeGroup, FakeUser

if TYPE_CHECKING:
    from sandbox.page import Team

JSONDict = dict[str, Any]
MAX_TEXT = 10_000  # longer than Telegram's 4,096, so the bot's own refusal can be tried
LANGUAGES = ("nl", "en", "de", "tr", "ar", "pl")
SKIPS = {"hour": timedelta(hours=1), "day": timedelta(days=1), "week": timedelta(weeks=1)}


class BadInput(Exception):
    """A request the page cannot act on; answered with 400 and this reason."""


class Actions:
    """The page's actions on the imitation's simulated people."""

    api: FakeBotApi
    teams: list[Team]
    residents: list[FakeUser]
    now: Callable[[], datetime]
    skip: Callable[[timedelta], Awaitable[None]]

    _next_resident: int = 10_001

    def add_resident(self, name: str, language: str) -> FakeUser:
        """Make a new resident with a Telegram app in this language."""
        while self._next_resident in self.api.world.users:
            self._next_resident += 1
        user = self.api.user(self._next_resident, name, language_code=language)
        self._next_resident += 1
        self.residents.append(user)
        return user

    async def _do_new_resident(self, body: JSONDict) -> JSONDict:
        name = text_field(body, "name", limit=64).strip() or "Bewoner"
        language = text_field(body, "language", limit=8) or "nl"
        if language not in LANGUAGES:
            raise BadInput(f"language must be one of {', '.join(LANGUAGES)}")
        user = self.add_resident(name, language)
        return {"id": user.id}

    def _person(self, body: JSONDict) -> FakeUser:
        """Return the resident or caseworker a request acts as."""
        user = self.api.world.users.get(number_field(body, "user"))
        if user is None:
            raise BadInput("unknown user")
        return user

    def _where(self, body: JSONDict, user: FakeUser) -> FakeUser | FakeGroup:
        """Return the chat a request writes in: the user's own, or a group they are in."""
        chat_id = body.get("chat", user.id)
        if chat_id == user.id:
            return user
        for team in self.teams:
            if team.group.id == chat_id and user in team.caseworkers:
                return team.group
        raise BadInput("this person cannot write in that chat")

    async def _do_message(self, body: JSONDict) -> JSONDict:
        user = self._person(body)
        chat = self._where(body, user)
        text = text_field(body, "text", limit=MAX_TEXT)
        if not text.strip():
            raise BadInput("an empty message cannot be sent")
        reply_to = body.get("reply_to")
        if reply_to is not None and (
            not isinstance(reply_to, int) or self.api.world.message(chat.id, reply_to) is None
        ):
            raise BadInput("the message to reply to does not exist")
        message = self.api.send_text(user, text, chat, reply_to=reply_to)
        return {"id": message["message_id"]}

    async def _do_press(self, body: JSONDict) -> JSONDict:
        user = self._person(body)
        chat = self._where(body, user)
        message_id = number_field(body, "message")
        data = text_field(body, "data", limit=256)
        current = self.api.world.message(chat.id, message_id)
        if current is None:
            raise BadInput("that message is gone")
        rows = (current.get("reply_markup") or {}).get("inline_keyboard", [])
        if not any(button.get("callback_data") == data for row in rows for button in row):
            raise BadInput("that button is no longer on the message")
        return {"callback": self.api.press(user, current, data=data)}

    async def _do_location(self, body: JSONDict) -> JSONDict:
        user = self._person(body)
        latitude, longitude = body.get("latitude"), body.get("longitude")
        if not all(isinstance(v, int | float) for v in (latitude, longitude)):
            raise BadInput("latitude and longitude must be numbers")
        assert isinstance(latitude, int | float) and isinstance(longitude, int | float)
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise BadInput("that is not a place on earth")
        message = self.api.send_location(user, float(latitude), float(longitude))
        return {"id": message["message_id"]}

    async def _do_contact(self, body: JSONDict) -> JSONDict:
        user = self._person(body)
        message = self.api.send_contact(user, f"+316{user.id % 100_000_000:08d}")
        return {"id": message["message_id"]}

    async def _photo(self, request: web.Request) -> web.StreamResponse:
        try:
            form = await request.post()
        except (ValueError, web.HTTPException) as error:
            return refuse(f"unreadable upload: {error}")
        try:
            body = {"user": int(str(form.get("user", ""))), "chat": int(str(form.get("chat", 0)))}
        except ValueError:
            return refuse("user and chat must be numbers")
        if body["chat"] == 0:
            body["chat"] = body["user"]
        upload = form.get("photo")
        if not isinstance(upload, web.FileField):
            return refuse("no photo in the upload")
        content = upload.file.read()
        if not content:
            return refuse("the photo is empty")
        caption = str(form.get("caption", ""))[:1024] or None
        try:
            user = self._person(body)
            chat = self._where(body, user)
        except BadInput as bad:
            return refuse(str(bad))
        message = self.api.send_photo(user, caption, chat, content=content)
        return web.json_response({"id": message["message_id"]})

    async def _do_clock(self, body: JSONDict) -> JSONDict:
        step = text_field(body, "skip", limit=8)
        if step not in SKIPS:
            raise BadInput(f"skip must be one of {', '.join(SKIPS)}")
        await self.skip(SKIPS[step])
        return {"now": self.now().isoformat()}


def refuse(reason: str) -> web.Response:
    return web.json_response({"error": reason}, status=400)


async def acting(
    request: web.Request, *, action: Callable[[JSONDict], Awaitable[JSONDict]]
) -> web.StreamResponse:
    """Parse a JSON body, run the action, answer 400 with a reason when the input is bad."""
    try:
        body = json.loads(await request.text())
    except (ValueError, UnicodeDecodeError):
        return refuse("the body must be JSON")
    if not isinstance(body, dict):
        return refuse("the body must be a JSON object")
    try:
        return web.json_response(await action(body))
    except BadInput as bad:
        return refuse(str(bad))


def text_field(body: JSONDict, key: str, *, limit: int) -> str:
    value = body.get(key, "")
    if not isinstance(value, str):
        raise BadInput(f"{key} must be text")
    if len(value) > limit:
        raise BadInput(f"{key} is longer than {limit} characters")
    return value


def number_field(body: JSONDict, key: str) -> int:
    value = body.get(key)
    if not isinstance(value, int) or isinstance(value, bool):
        raise BadInput(f"{key} must be a whole number")
    return value
