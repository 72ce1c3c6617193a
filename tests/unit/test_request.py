"""PTB's requests over aiohttp (bot/request.py), against small real HTTP servers on loopback."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from telegram import InputFile
from telegram.error import NetworkError, TimedOut
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from bot.request import BAD_URL, AiohttpRequest
from bot.resends import may_have_arrived

Serve = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]
OK = b'{"ok": true, "result": true}'


async def read_request(reader: asyncio.StreamReader) -> tuple[bytes, bytes]:
    """Return one request's head and body (by its Content-Length)."""
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    return head, await reader.readexactly(length)


def answer(body: bytes) -> bytes:
    """Return a keep-alive HTTP answer with a JSON body."""
    return (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
        + body
    )


@pytest.fixture
async def serve() -> AsyncIterator[Callable[[Serve], Awaitable[str]]]:
    """Start servers that answer each connection with a handler; return their base URL."""
    servers: list[asyncio.Server] = []
    handling: set[asyncio.Task[None]] = set()

    async def start(handler: Serve) -> str:
        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            task = asyncio.current_task()
            assert task is not None
            handling.add(task)
            try:
                await handler(reader, writer)
            finally:
                writer.close()

        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        servers.append(server)
        return f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/bot1:x"

    yield start
    for server in servers:
        server.close()
    for task in handling:
        task.cancel()
    await asyncio.gather(*handling, return_exceptions=True)


@pytest.fixture
async def request_() -> AsyncIterator[AiohttpRequest]:
    made = AiohttpRequest(
        connection_pool_size=1, read_timeout=1.0, connect_timeout=0.2, pool_timeout=0.2
    )
    await made.initialize()
    yield made
    await made.shutdown()


async def test_parameters_go_as_json_on_one_kept_connection(
    serve: Callable[[Serve], Awaitable[str]], request_: AiohttpRequest
) -> None:
    seen: list[bytes] = []
    connections = 0

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        while not reader.at_eof():
            try:
                head, body = await read_request(reader)
            except asyncio.IncompleteReadError:
                return
            seen.append(head + body)
            writer.write(answer(OK))
            await writer.drain()

    url = await serve(handler)
    data = RequestData(
        [RequestParameter("chat_id", 7, []), RequestParameter("text", "Hé & co", [])]
    )
    for _ in range(3):
        assert await request_.post(f"{url}/sendMessage", data) is True
    assert connections == 1, "the connection is kept and reused"
    assert len(seen) == 3
    assert b"application/json" in seen[0]
    assert seen[0].endswith('{"chat_id":7,"text":"Hé & co"}'.encode())
    assert b"python-telegram-bot" in seen[0], "PTB's User-Agent goes along"


async def test_a_file_goes_as_multipart_beside_the_parameters(
    serve: Callable[[Serve], Awaitable[str]], request_: AiohttpRequest
) -> None:
    seen: list[bytes] = []

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head, body = await read_request(reader)
        seen.append(head + body)
        writer.write(answer(b'{"ok": true, "result": {"done": 1}}'))
        await writer.drain()

    url = await serve(handler)
    picture = InputFile(b"\x89PNG fake picture", filename="stats.png", attach=False)
    data = RequestData(
        [RequestParameter("chat_id", -1009, []), RequestParameter.from_input("photo", picture)]
    )
    assert await request_.post(f"{url}/sendPhoto", data) == {"done": 1}
    sent = seen[0]
    assert b"multipart/form-data" in sent
    assert b'name="chat_id"' in sent and b"-1009" in sent
    assert b'filename="stats.png"' in sent and b"\x89PNG fake picture" in sent


async def test_no_free_connection_in_time_never_left_but_no_answer_may_have_arrived(
    serve: Callable[[Serve], Awaitable[str]], request_: AiohttpRequest
) -> None:
    arrived = asyncio.Event()

    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        arrived.set()
        await asyncio.sleep(30)

    url = await serve(silent)
    first = asyncio.create_task(request_.post(f"{url}/sendMessage"))
    await arrived.wait()
    with pytest.raises(TimedOut) as waited:
        await request_.post(f"{url}/sendMessage")
    assert "not* sent" in waited.value.message
    assert not may_have_arrived(waited.value), "the only connection was taken"
    with pytest.raises(TimedOut) as unanswered:
        await first
    assert may_have_arrived(unanswered.value), "the server got it and did not answer"


async def test_a_connection_closed_before_the_answer_may_have_delivered(
    serve: Callable[[Serve], Awaitable[str]], request_: AiohttpRequest
) -> None:
    async def hang_up(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.close()

    url = await serve(hang_up)
    with pytest.raises(NetworkError) as raised:
        await request_.post(f"{url}/sendMessage")
    assert raised.value.message.startswith("aiohttp.")
    assert may_have_arrived(raised.value)


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/bot1:x/getMe", "http://[::1/bot1:x/getMe"])
async def test_a_malformed_url_is_named_as_such(request_: AiohttpRequest, url: str) -> None:
    with pytest.raises(NetworkError) as raised:
        await request_.post(url)
    assert isinstance(raised.value.__cause__, BAD_URL)


async def test_a_request_after_shutdown_needs_initialize_again(
    serve: Callable[[Serve], Awaitable[str]],
) -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_request(reader)
        writer.write(answer(json.dumps({"ok": True, "result": 1}).encode()))
        await writer.drain()

    url = await serve(handler)
    request = AiohttpRequest()
    with pytest.raises(NetworkError, match="not initialized"):
        await request.post(f"{url}/getMe")
    await request.initialize()
    await request.shutdown()
    await request.initialize()
    try:
        assert await request.post(f"{url}/getMe") == 1
    finally:
        await request.shutdown()


async def test_a_proxy_from_the_environment_carries_the_call_unless_the_host_is_exempt(
    serve: Callable[[Serve], Awaitable[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    heads: list[bytes] = []

    async def proxy(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head, _ = await read_request(reader)
        heads.append(head)
        writer.write(answer(OK))
        await writer.drain()

    proxy_url = (await serve(proxy)).removesuffix("/bot1:x")
    monkeypatch.setenv("HTTP_PROXY", proxy_url)
    monkeypatch.setenv("NO_PROXY", "exempt.invalid")
    request = AiohttpRequest()
    await request.initialize()
    try:
        assert await request.post("http://api.telegram.invalid/bot1:x/getMe") is True
        with pytest.raises(NetworkError) as direct:
            await request.post("http://exempt.invalid/bot1:x/getMe")
    finally:
        await request.shutdown()
    assert heads[0].startswith(b"POST http://api.telegram.invalid/bot1:x/getMe HTTP/1.1")
    assert len(heads) == 1, "the exempt host was tried directly, not through the proxy"
    assert not may_have_arrived(direct.value), "a name that does not resolve never left"
