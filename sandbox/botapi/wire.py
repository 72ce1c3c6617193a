"""Read Bot API requests and write Telegram-shaped responses."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from .errors import ApiError
from .models import Upload

_GATEWAY_PAGE = (
    "<html>\r\n<head><title>{status} {phrase}</title></head>\r\n<body>\r\n"
    "<center><h1>{status} {phrase}</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n"
    "</body>\r\n</html>\r\n"
)
_GATEWAY = {502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Time-out"}


async def read_params(request: web.Request) -> tuple[dict[str, Any], dict[str, Upload]]:
    """Return a request's parameters (query, form or JSON body) and its uploaded files."""
    params: dict[str, Any] = dict(request.query)
    uploads: dict[str, Upload] = {}
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError as bad_json:
            raise ApiError(400, "Bad Request: can't parse JSON body") from bad_json
        if not isinstance(body, dict):
            raise ApiError(400, "Bad Request: the JSON body must be an object")
        params.update(body)
    elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.post()
        for name, value in form.items():
            if isinstance(value, web.FileField):
                with value.file as handle:
                    data = handle.read()
                uploads[name] = Upload(name, value.filename, value.content_type, data)
            else:
                params[name] = str(value)
    return params, uploads


def ok(result: Any) -> web.Response:
    """Return a successful Bot API response."""
    return web.json_response({"ok": True, "result": result}, dumps=_dumps)


def error(failure: ApiError) -> web.Response:
    """Return an error response; gateway errors come as nginx HTML like Telegram's."""
    if failure.status in _GATEWAY:
        page = _GATEWAY_PAGE.format(status=failure.status, phrase=_GATEWAY[failure.status])
        return web.Response(status=failure.status, text=page, content_type="text/html")
    body: dict[str, Any] = {
        "ok": False,
        "error_code": failure.status,
        "description": failure.description,
    }
    if failure.retry_after is not None:
        body["parameters"] = {"retry_after": failure.retry_after}
    return web.json_response(body, status=failure.status, dumps=_dumps)


def _dumps(value: Any) -> str:
    """Serialise JSON compactly and keep non-ASCII text readable, like Telegram."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
