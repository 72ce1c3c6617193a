"""python-telegram-bot's HTTP requests over aiohttp's client instead of httpx.

PTB sends every Bot API call through a `BaseRequest`; its own (`HTTPXRequest`) costs about
1.6 ms of CPU per call on top of the call itself (httpx over httpcore over anyio), which was
most of what a resident's update cost Meldbot (BENCHMARKS.md, "The HTTP client"). aiohttp is
already Meldbot's web server library; its client, with its C HTTP parser, costs a fraction of
that. Behaviour kept from `HTTPXRequest`:

- the same timeouts: read, write (a longer one for uploads), connect, and pool (waiting for a
  free connection); a time-out raises `TimedOut`, any other failure `NetworkError`, with the
  library's exception as `__cause__`;
- a request that never left says so: no connection could be made, or none was free in time
  (aiohttp's `ClientConnectorError`, `ConnectionTimeoutError`): bot/resends.py reads these to
  know that a message certainly did not arrive;
- parameters as JSON (the Bot API takes it for every call without a file), files as
  multipart; proxies from the environment (`HTTPS_PROXY`, `NO_PROXY`, ...), looked up once
  per host; TLS verified against certifi's certificates, as httpx does.
"""

from __future__ import annotations

import json
import ssl
import urllib.parse
import urllib.request
from functools import lru_cache
from typing import Any

import aiohttp
import certifi
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

NEVER_SENT: tuple[type[BaseException], ...] = (
    aiohttp.ClientConnectorError,
    aiohttp.ConnectionTimeoutError,
)
"""Failures before the request left this machine (bot/resends.py)."""
BAD_URL: tuple[type[BaseException], ...] = (aiohttp.InvalidURL, aiohttp.NonHttpUrlClientError)
"""Failures of a malformed or non-HTTP URL (bot/failures.py)."""

_JSON = {"Content-Type": "application/json"}

_POOL_TIMEOUT = (
    "Pool timeout: no connection became free, or none could be made, in time. The request "
    "was *not* sent to Telegram."
)


class AiohttpRequest(BaseRequest):
    """A `BaseRequest` on one aiohttp `ClientSession`, made on `initialize` in the bot's loop."""

    def __init__(
        self,
        connection_pool_size: int = 1,
        *,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
    ) -> None:
        self._pool_size = connection_pool_size
        self._read = read_timeout
        self._write = write_timeout
        self._connect = connect_timeout
        self._pool = pool_timeout
        self._media_write = media_write_timeout
        self._session: aiohttp.ClientSession | None = None
        self._proxies: dict[str, str | None] = {}

    @property
    def read_timeout(self) -> float | None:
        """Return the default read time-out (PTB adds a long poll's wait to it)."""
        return self._read

    async def initialize(self) -> None:
        """Open the session (again, after a shutdown)."""
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(
                limit=self._pool_size,
                ssl=ssl.create_default_context(cafile=certifi.where()),
            )
            # Not trust_env: aiohttp would then look up the proxy in a thread on every call.
            self._session = aiohttp.ClientSession(
                connector=connector, headers={"User-Agent": self.USER_AGENT}
            )
            self._proxies = {}

    async def shutdown(self) -> None:
        """Close the session and its connections."""
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Make the request; return the answer's status and body."""
        if self._session is None or self._session.closed:
            raise RuntimeError("AiohttpRequest is not initialized")
        files = request_data.multipart_data if request_data else None
        read = self._read if isinstance(read_timeout, DefaultValue) else read_timeout
        write = (
            (self._media_write if files else self._write)
            if isinstance(write_timeout, DefaultValue)
            else write_timeout
        )
        connect = self._connect if isinstance(connect_timeout, DefaultValue) else connect_timeout
        pool = self._pool if isinstance(pool_timeout, DefaultValue) else pool_timeout
        timeout = _timeout(read, write, connect, pool)
        body: Any = None
        headers: dict[str, str] | None = None
        if request_data is not None:
            if files:
                body = _form(request_data.json_parameters, files)
            else:
                # A JSON body, which the Bot API takes for every call without a file: one
                # json.dumps in C, where a form (aiohttp's FormData builds a multipart writer
                # even for a plain one; urlencode quotes byte by byte in Python) costs about
                # as much as the rest of the call.
                body = json.dumps(
                    request_data.parameters, ensure_ascii=False, separators=(",", ":")
                ).encode()
                headers = _JSON
        try:
            async with self._session.request(
                method, url, data=body, headers=headers, timeout=timeout, proxy=self._proxy(url)
            ) as answer:
                return answer.status, await answer.read()
        except aiohttp.ConnectionTimeoutError as error:
            raise TimedOut(_POOL_TIMEOUT) from error
        except TimeoutError as error:
            raise TimedOut from error
        except aiohttp.ClientError as error:
            raise NetworkError(f"aiohttp.{type(error).__name__}: {error}") from error

    def _proxy(self, url: str) -> str | None:
        """Return the proxy the environment names for url's scheme and host, looked up once."""
        key = "/".join(url.split("/", 3)[:3])
        if key not in self._proxies:
            try:
                parts = urllib.parse.urlsplit(key)
            except ValueError:  # aiohttp names what is wrong with the URL
                return None
            proxy = urllib.request.getproxies().get(parts.scheme)
            bypass = bool(parts.hostname) and urllib.request.proxy_bypass(parts.hostname or "")
            self._proxies[key] = None if bypass else proxy
        return self._proxies[key]


@lru_cache(maxsize=64)
def _timeout(
    read: float | None, write: float | None, connect: float | None, pool: float | None
) -> aiohttp.ClientTimeout:
    """Return aiohttp's time-outs for PTB's four.

    aiohttp's `connect` covers waiting for a pooled connection and making a new one, its
    `sock_read` the wait for each piece of the answer. It has no write time-out: the whole
    request is bounded instead by the sum of all four (when each is finite).
    """
    parts = (read, write, connect, pool)
    total = None if any(part is None for part in parts) else sum(p for p in parts if p)
    waiting = None if connect is None or pool is None else connect + pool
    return aiohttp.ClientTimeout(total=total, connect=waiting, sock_connect=connect, sock_read=read)


def _form(parameters: dict[str, str], files: dict[str, tuple[str, Any, str]]) -> aiohttp.FormData:
    """Return the parameters and files as one multipart form."""
    form = aiohttp.FormData(quote_fields=False)
    for name, value in parameters.items():
        form.add_field(name, value)
    for name, (filename, content, mimetype) in files.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form
