"""API Gateway / Cloud Functions HTTP events to an ASGI app and back.

The event (payload formats 0.1 and 1.0): ``httpMethod``, ``url`` (0.1: the
request path with its query) or ``path`` (1.0: the request path; in 0.1 the
route template, e.g. ``/api/{path+}``), ``headers``, ``multiValueHeaders``,
``queryStringParameters``, ``multiValueQueryStringParameters``, ``body``,
``isBase64Encoded`` and ``requestContext.identity.sourceIp``. The answer:
``statusCode``, ``headers`` (single values), ``multiValueHeaders`` (every
value, e.g. several ``Set-Cookie``), ``body`` and ``isBase64Encoded`` (binary
bodies travel as base64; text and JSON as text).
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode, urlsplit

from starlette.types import ASGIApp, Message

TEXT_TYPES = ("text/", "application/json", "application/problem+json", "application/xml")


def _path_and_query(event: Mapping[str, Any]) -> tuple[str, str]:
    path = str(event.get("path") or "/")
    url = event.get("url")
    if isinstance(url, str) and url and ("{" in path or not path.startswith("/")):
        # 0.1: "path" is the route template; "url" is what the client asked for.
        parts = urlsplit(url)
        path = parts.path or "/"
        if parts.query:
            return path, parts.query
    multi = event.get("multiValueQueryStringParameters") or {}
    single = event.get("queryStringParameters") or {}
    pairs: list[tuple[str, str]] = []
    for key in dict.fromkeys([*multi, *single]):
        values = multi.get(key) or [single[key]]
        pairs += [(key, str(v)) for v in values]
    return path, urlencode(pairs)


def _headers(event: Mapping[str, Any]) -> list[tuple[bytes, bytes]]:
    multi: Mapping[str, list[str]] = event.get("multiValueHeaders") or {}
    single: Mapping[str, str] = event.get("headers") or {}
    out: list[tuple[bytes, bytes]] = []
    for name in dict.fromkeys([*multi, *single]):
        values = multi.get(name) or [single[name]]
        out += [(name.lower().encode("latin-1"), str(v).encode("latin-1")) for v in values]
    return out


def to_scope(event: Mapping[str, Any]) -> tuple[dict[str, Any], bytes]:
    """The ASGI HTTP scope and the request body of an event."""
    path, query = _path_and_query(event)
    headers = _headers(event)
    raw = event.get("body") or ""
    body = base64.b64decode(raw) if event.get("isBase64Encoded") else str(raw).encode("utf-8")
    host = dict(headers).get(b"host", b"apigw.yandexcloud.net").decode("latin-1")
    context = event.get("requestContext") or {}
    ip = (context.get("identity") or {}).get("sourceIp") or "0.0.0.0"  # noqa: S104 - unknown peer
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": str(event.get("httpMethod", "GET")).upper(),
        "scheme": "https",
        "path": path,
        "raw_path": path.encode("utf-8"),
        "query_string": query.encode("latin-1"),
        "root_path": "",
        "headers": headers,
        "client": (ip, 0),
        "server": (host.split(":")[0], 443),
    }
    return scope, body


async def _call(app: ASGIApp, scope: dict[str, Any], body: bytes) -> dict[str, Any]:
    sent = False
    status = 500
    headers: list[tuple[bytes, bytes]] = []
    chunks: list[bytes] = []

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.sleep(3600)  # the client never disconnects mid-request here
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = int(message["status"])
            headers.extend(message.get("headers", []))
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    return to_result(status, headers, b"".join(chunks))


def to_result(status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> dict[str, Any]:
    multi: dict[str, list[str]] = {}
    for name, value in headers:
        multi.setdefault(name.decode("latin-1").lower(), []).append(value.decode("latin-1"))
    kind = multi.get("content-type", [""])[0].lower()
    text = not body or kind.startswith(TEXT_TYPES)
    return {
        "statusCode": status,
        "headers": {name: values[-1] for name, values in multi.items()},
        "multiValueHeaders": multi,
        "body": body.decode("utf-8") if text else base64.b64encode(body).decode("ascii"),
        "isBase64Encoded": not text,
    }


def serve_event(
    app: ASGIApp, event: Mapping[str, Any], loop: asyncio.AbstractEventLoop
) -> dict[str, Any]:
    """Run one event through ``app`` on ``loop`` (kept across invocations of a warm function)."""
    scope, body = to_scope(event)
    return loop.run_until_complete(_call(app, scope, body))
