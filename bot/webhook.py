"""Receive updates when Telegram posts them (webhook mode), answering only after they are stored.

A small HTTP/1.1 server on `MELDBOT_WEBHOOK_LISTEN`, meant to sit behind the TLS proxy that
the public `MELDBOT_WEBHOOK_URL` points at. Telegram sends the secret set with `setWebhook` in
the header X-Telegram-Bot-Api-Secret-Token; a request without the right one is refused (403)
and nothing is stored. A good request is answered 200 only after its update is committed to
the inbox (`Intake.accept`); if that fails the answer is 500, and Telegram posts it again.
Request bodies are never logged.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging

from bot.intake import Intake
from config.settings import Webhook

log = logging.getLogger(__name__)

SECRET_HEADER = "x-telegram-bot-api-secret-token"
MAX_BODY = 1024 * 1024
"""Telegram's updates are small; a larger body is refused (413)."""
_MAX_HEAD = 16 * 1024
_READ_TIMEOUT = 30.0
_REASONS = {
    200: "OK",
    400: "Bad Request",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    411: "Length Required",
    413: "Payload Too Large",
    500: "Internal Server Error",
}


class WebhookServer:
    """Serve Telegram's webhook calls into the intake."""

    def __init__(self, intake: Intake, webhook: Webhook) -> None:
        self.intake = intake
        self.webhook = webhook
        self._server: asyncio.Server | None = None
        self.refused = 0
        """Requests refused for a wrong or missing secret."""

    async def start(self) -> None:
        """Listen on the configured host and port."""
        self._server = await asyncio.start_server(
            self._serve, self.webhook.host, self.webhook.port, limit=_MAX_HEAD
        )

    @property
    def port(self) -> int:
        """Return the port listened on (the configured one, or the one chosen for port 0)."""
        assert self._server is not None and self._server.sockets
        return int(self._server.sockets[0].getsockname()[1])

    async def stop(self) -> None:
        """Stop listening and close open connections."""
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 5)
            self._server = None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Answer one request, then close the connection."""
        try:
            status = await asyncio.wait_for(self._answer(reader), _READ_TIMEOUT)
        except (TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
            status = 400
        except ConnectionError:
            return
        body = json.dumps({"ok": status == 200}).encode()
        head = (
            f"HTTP/1.1 {status} {_REASONS[status]}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        )
        with contextlib.suppress(ConnectionError):
            writer.write(head.encode("ascii") + body)
            await writer.drain()
        writer.close()
        with contextlib.suppress(ConnectionError):
            await writer.wait_closed()

    async def _answer(self, reader: asyncio.StreamReader) -> int:
        """Read a request and return the status to answer with."""
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
        request_line, *lines = head.split("\r\n")
        method, _, rest = request_line.partition(" ")
        path = rest.rsplit(" ", 1)[0].split("?", 1)[0]
        headers = {}
        for line in lines:
            name, sep, value = line.partition(":")
            if sep:
                headers[name.strip().lower()] = value.strip()
        if path != self.webhook.path:
            return 404
        if method != "POST":
            return 405
        given = headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.webhook.secret.encode()):
            self.refused += 1
            log.warning("a webhook call without the right secret token was refused")
            return 403
        length = headers.get("content-length")
        if length is None or not length.isdigit():
            return 411
        if int(length) > MAX_BODY:
            return 413
        raw = await reader.readexactly(int(length))
        try:
            update = json.loads(raw)
        except ValueError:
            log.warning("a webhook call carried no JSON; refused")
            return 400
        try:
            await self.intake.accept([update])
        except Exception as error:
            log.error(
                "storing a posted update failed (%s); Telegram will post it again",
                type(error).__name__,
            )
            return 500
        return 200
