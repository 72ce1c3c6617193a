"""The fake Bot API server: HTTP routes, validation, failures and behaviour in one place."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from aiohttp import web

from .attachments import Attachments
from .behaviour import BEHAVIOURS, SENDING
from .errors import ApiError, no_behaviour
from .faults import HANG, Faults, FloodControl, PlannedFailure, RateLimits
from .models import JSONDict, Upload
from .observation import Observation
from .presses import Presses
from .spec import ApiSpec, ObjectSpec, load_spec
from .validate import check_value, validate_call
from .webhook import WebhookPoster
from .wire import error, ok, read_params
from .world import World

DEFAULT_TOKEN = "123456:TEST"


class FakeBotApi(Presses, Observation, Attachments):
    """A local Bot API server for PTB, with a simulation and observation API for tests."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        username: str = "meldbot_test_bot",
        clock: Callable[[], float] = time.time,
        spec: ApiSpec | None = None,
    ) -> None:
        self.token = token
        self.spec = spec or load_spec()
        self.bot_user: JSONDict = {
            "id": int(token.split(":", 1)[0]),
            "is_bot": True,
            "first_name": "Meldbot",
            "username": username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }
        self.world = World(self.spec, self.bot_user, clock)
        self.refusals: list[str] = []
        self.expected_refusals: list[str] = []
        self.requests: list[tuple[str, JSONDict]] = []
        self.faults = Faults()
        self.flood: FloodControl | None = None
        self._runner: web.AppRunner | None = None
        self._port = 0
        self._stopping = asyncio.Event()
        self.webhook = WebhookPoster(self.world)

    @property
    def base_url(self) -> str:
        """Return the base_url to give PTB; PTB appends the token."""
        return f"http://127.0.0.1:{self._port}/bot"

    @property
    def base_file_url(self) -> str:
        """Return the base_file_url to give PTB; PTB appends the token."""
        return f"http://127.0.0.1:{self._port}/file/bot"

    @property
    def too_many_requests(self) -> int:
        """Return how many requests flood control answered with 429."""
        return self.flood.too_many_requests if self.flood else 0

    async def start(self) -> None:
        """Listen on a random loopback port."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self._port = int(self._runner.addresses[0][1])

    async def stop(self) -> None:
        """Release long polls and delayed answers, then close the server."""
        self._stopping.set()
        await self.webhook.stop()
        self.world.updates.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def expect_refusal(self, substring: str) -> None:
        """Declare that this test provokes a refusal containing substring."""
        self.expected_refusals.append(substring)

    def fail_next(
        self,
        method: str,
        *,
        status: int = 429,
        retry_after: int | None = None,
        count: int = 1,
        description: str | None = None,
        after_effect: bool = False,
        chat_id: int | None = None,
    ) -> None:
        """Fail the next count calls of method ("*" for any; to chat_id only, when given).

        status is an HTTP status or faults.DROP / faults.HANG; after_effect performs the call
        first, so only the answer is lost.
        """
        failure = PlannedFailure(
            method.lower(), status, retry_after, count, description, after_effect, chat_id
        )
        self.faults.planned.append(failure)

    def failure_rate(
        self,
        rate: float,
        seed: int = 0,
        methods: list[str] | None = None,
        statuses: tuple[int, ...] = (429, 500),
        after_effect: float = 0.0,
    ) -> None:
        """Fail a random share of calls; methods None means all but bootstrap calls.

        statuses may hold faults.DROP and faults.HANG; `after_effect` is the share of 5xx, DROP
        and HANG failures that come after the call was performed.
        """
        self.faults.rate = rate
        self.faults.rng.seed(seed)
        self.faults.rate_methods = frozenset(m.lower() for m in methods) if methods else None
        self.faults.statuses = statuses
        self.faults.after_effect = after_effect

    def delay(self, method: str, seconds: float) -> None:
        """Answer every call of method only after seconds (0 removes the delay)."""
        self.faults.delays[method.lower()] = seconds

    def rate_limits(self, enabled: bool = True, limits: RateLimits | None = None) -> None:
        """Enforce Telegram's flood limits on sends and edits, or stop enforcing them."""
        self.flood = FloodControl(limits or RateLimits()) if enabled else None

    async def _sleep(self, seconds: float) -> None:
        """Sleep, but wake up early when the server stops."""
        try:
            await asyncio.wait_for(self._stopping.wait(), seconds)
        except TimeoutError:
            return

    def _refuse(self, method: str, params: JSONDict, description: str) -> None:
        """Record a refusal that fails the test unless expected."""
        shown = {k: params[k] for k in ("chat_id", "text", "caption", "message_id") if k in params}
        self.refusals.append(f"{method}({shown}): {description}")

    async def _download(self, request: web.Request) -> web.StreamResponse:
        """Serve a stored file like api.telegram.org/file/bot<token>/<path>."""
        stored = self.world.file_by_path(request.match_info["path"])
        if request.match_info["token"] != self.token or stored is None:
            return error(ApiError(404, "Not Found"))
        return web.Response(body=stored.data, content_type="application/octet-stream")

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        """Answer one Bot API call."""
        if request.match_info["token"] != self.token:
            return error(ApiError(401, "Unauthorized"))
        method = self.spec.method(request.match_info["method"])
        if method is None:
            self.refusals.append(f"{request.match_info['method']}: unknown method (404)")
            return error(ApiError(404, "Not Found"))
        try:
            raw, uploads = await read_params(request)
        except ApiError as failure:
            self._refuse(method.name, {}, failure.description)
            return error(failure)
        shown_uploads = {
            n: f"<file {u.filename!r}, {len(u.data)} bytes>" for n, u in uploads.items()
        }
        self.requests.append((method.name, {**raw, **shown_uploads}))
        return await self._call(request, method, raw, uploads)

    async def _fail(self, request: web.Request, failure: PlannedFailure) -> web.StreamResponse:
        """Answer with the failure's error, or with no answer at all for DROP and HANG."""
        if not failure.lost:
            return error(failure.error())
        if failure.status == HANG:
            await self._sleep(self.faults.hang_seconds)
        if request.transport is not None:
            request.transport.abort()
        return web.Response(status=204)  # never reaches the client: its connection is gone

    async def _call(
        self, request: web.Request, method: ObjectSpec, raw: JSONDict, uploads: dict[str, Upload]
    ) -> web.StreamResponse:
        """Validate, maybe fail or delay, then perform a call."""
        name, key = method.name, method.name.lower()
        try:
            validated = validate_call(self.spec, method, raw, uploads)
        except ApiError as invalid:
            self._refuse(name, raw, invalid.description)
            return error(invalid)
        for note in validated.lint:
            self._refuse(name, raw, f"lint: {note}")
        failure = self.faults.pick(key, validated.params.get("chat_id"))
        if failure is not None and not failure.after_effect:
            return await self._fail(request, failure)
        if self.faults.delays.get(key):
            await self._sleep(self.faults.delays[key])
        try:
            if self.flood is not None and key in SENDING:
                self.flood.check(validated.params.get("chat_id"))
            behaviour = BEHAVIOURS.get(key)
            if behaviour is None:
                raise no_behaviour(name)
            result = await behaviour(self.world, validated)
            if key == "setwebhook":
                self.webhook.ensure_running()
        except ApiError as refused:
            if refused.status == 400:
                self._refuse(name, raw, refused.description)
            return error(refused)
        self._check_result(method, result)
        if failure is not None:
            return await self._fail(request, failure)
        return ok(result)

    def _check_result(self, method: ObjectSpec, result: Any) -> None:
        """Record a fake bug if a result does not match the method's return type."""
        if method.name == "getUpdates" and isinstance(result, list):
            unreadable = self.world.updates.unreadable
            result = [u for u in result if u.get("update_id") not in unreadable]
        problems = []
        for type_name in method.returns:
            try:
                check_value(self.spec, result, type_name)
            except ApiError as bug:
                problems.append(bug.description)
            else:
                return
        self.refusals.append(f"{method.name}: fake bug: {'; '.join(problems)}")
