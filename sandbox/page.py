"""The sandbox's browser page: residents' phones and partner groups over the local Bot API.

Plain HTML, CSS and JavaScript (sandbox/static/) served with a small JSON API. Everything the
page does goes through the imitation's own simulation API (`send_text`, `press`,
`send_location`, `send_photo`), exactly as the tests' simulated people do, so the bot sees the
same updates as from Telegram. Malformed requests get a 400 with a reason; nothing crashes.
"""

from __future__ import annotations

import errno
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from importlib import resources
from typing import Any

from aiohttp import web

from sandbox.actions import Actions, acting
from sandbox.botapi import FakeBotApi, FakeGroup, FakeUser
from sandbox.views import keyboard_view, message_view

JSONDict = dict[str, Any]
MAX_PHOTO_BYTES = 10 * 1024 * 1024
_CONTENT_TYPES = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png"}


class PortInUse(Exception):
    """The page's port is taken by another program."""

    def __init__(self, host: str, port: int) -> None:
        super().__init__(f"port {port} on {host} is in use")
        self.host = host
        self.port = port


@dataclass
class Team:
    """A partner group on the page, with the caseworkers one can act as."""

    key: str
    group: FakeGroup
    caseworkers: list[FakeUser]


@dataclass
class SandboxPage(Actions):
    """Serve the page and its JSON API for one imitation of Telegram."""

    api: FakeBotApi
    teams: list[Team]
    map_svg: str
    now: Callable[[], datetime]
    skip: Callable[[timedelta], Awaitable[None]]
    title: str = "Meldbot sandbox"
    residents: list[FakeUser] = field(default_factory=list)
    _runner: web.AppRunner | None = None
    url: str = ""

    def application(self) -> web.Application:
        """Return the aiohttp application with the page, its files and its API."""
        app = web.Application(client_max_size=MAX_PHOTO_BYTES + 64 * 1024)
        app.router.add_get("/", self._index)
        app.router.add_get("/static/{name}", self._static)
        app.router.add_get("/map.svg", self._map)
        app.router.add_get("/api/state", self._state)
        app.router.add_get("/api/file/{file_id}", self._file)
        for path, action in (
            ("/api/residents", self._do_new_resident),
            ("/api/message", self._do_message),
            ("/api/press", self._do_press),
            ("/api/location", self._do_location),
            ("/api/contact", self._do_contact),
            ("/api/clock", self._do_clock),
        ):
            app.router.add_post(path, partial(acting, action=action))
        app.router.add_post("/api/photo", self._photo)
        return app

    async def start(self, host: str, port: int) -> None:
        """Listen on host:port; raise PortInUse when another program has it."""
        self._runner = web.AppRunner(self.application(), access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        try:
            await site.start()
        except OSError as error:
            await self._runner.cleanup()
            self._runner = None
            if error.errno == errno.EADDRINUSE:
                raise PortInUse(host, port) from error
            raise
        bound = self._runner.addresses[0]
        shown = f"[{host}]" if ":" in host else host
        self.url = f"http://{shown}:{bound[1]}"

    async def stop(self) -> None:
        """Stop serving the page."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # -- pages and files -------------------------------------------------------------------

    async def _index(self, request: web.Request) -> web.StreamResponse:
        return web.Response(text=_asset("index.html"), content_type="text/html", charset="utf-8")

    async def _static(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        kinds = {"app.js": "text/javascript", "style.css": "text/css"}
        if name not in kinds:
            raise web.HTTPNotFound()
        return web.Response(text=_asset(name), content_type=kinds[name], charset="utf-8")

    async def _map(self, request: web.Request) -> web.StreamResponse:
        return web.Response(text=self.map_svg, content_type="image/svg+xml", charset="utf-8")

    async def _file(self, request: web.Request) -> web.StreamResponse:
        stored = self.api.world.files.get(request.match_info["file_id"])
        if stored is None:
            raise web.HTTPNotFound()
        extension = stored.file_path.rsplit(".", 1)[-1].lower()
        kind = _CONTENT_TYPES.get(extension, "application/octet-stream")
        return web.Response(body=stored.data, content_type=kind)

    # -- state -----------------------------------------------------------------------------

    def version(self) -> str:
        """Return a token that changes whenever anything on the page would change."""
        world = self.api.world
        answered = sum(1 for record in world.callbacks.values() if record.answer is not None)
        return ":".join(
            str(number)
            for number in (
                len(world.messages),
                len(world.sent),
                len(world.deleted),
                answered,
                len(world.users),
                int(self.now().timestamp() // 60),  # the clock shows minutes
            )
        )

    async def _state(self, request: web.Request) -> web.StreamResponse:
        known = request.query.get("version")
        if known == self.version():
            # Long poll: answer when the bot sends or edits something, or after a while.
            await self.api.world.sent_changed(20.0)
        return web.json_response(self.state())

    def state(self) -> JSONDict:
        """Return everything the page shows: people, groups, chats and the bot's clock."""
        world = self.api.world
        chats: dict[int, list[JSONDict]] = {}
        for (chat_id, _), message in sorted(world.messages.items()):
            chats.setdefault(chat_id, []).append(message_view(message))
        answers = {
            record.id: str(record.answer.get("text", ""))
            for record in world.callbacks.values()
            if record.answer is not None and record.answer.get("text")
        }
        return {
            "version": self.version(),
            "now": self.now().isoformat(),
            "bot": world.bot_user["first_name"],
            "residents": [
                {
                    "id": user.id,
                    "name": user.first_name,
                    "language": user.language_code,
                    "messages": chats.get(user.id, []),
                    "keyboard": keyboard_view(world, user.id),
                }
                for user in self.residents
            ],
            "teams": [
                {
                    "key": team.key,
                    "id": team.group.id,
                    "title": team.group.title,
                    "caseworkers": [{"id": u.id, "name": u.first_name} for u in team.caseworkers],
                    "messages": chats.get(team.group.id, []),
                }
                for team in self.teams
            ],
            "answers": answers,
        }


def _asset(name: str) -> str:
    """Return a file of sandbox/static as text."""
    return resources.files("sandbox").joinpath("static", name).read_text(encoding="utf-8")
