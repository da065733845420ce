"""A real HTTP server on loopback: serves a rendered site and records what the form posts.

It plays the campaign API's side of the contract the site's script relies on
(``POST /api/v1/registrations``, ``GET /api/v1/winners``) with canned answers
the test chooses, so a test asserts the exact request the browser sent.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

REGISTRATIONS = "/api/v1/registrations"
WINNERS = "/api/v1/winners"


@dataclass(frozen=True)
class Recorded:
    path: str
    content_type: str
    accept: str
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Api:
    """What the fake API answers, and what it was sent."""

    answers: deque[tuple[int, dict[str, Any]]] = field(default_factory=deque)
    winners: dict[str, Any] = field(default_factory=lambda: {"winners": []})
    winners_status: int = 200
    received: list[Recorded] = field(default_factory=list)
    arrived: threading.Event = field(default_factory=threading.Event)

    def answer(self, status: int, body: dict[str, Any]) -> None:
        self.answers.append((status, body))


class _Handler(SimpleHTTPRequestHandler):
    api: Api

    def __init__(self, *args: Any, api: Api, **kwargs: Any) -> None:
        self.api = api
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _send_json(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        if self.path.split("?")[0] == WINNERS:
            self._send_json(self.api.winners_status, self.api.winners)
            return
        super().do_GET()

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        if self.path != REGISTRATIONS:
            self._send_json(404, {"message": "not found"})
            return
        self.api.received.append(
            Recorded(
                path=self.path,
                content_type=self.headers.get("Content-Type", ""),
                accept=self.headers.get("Accept", ""),
                body=body,
            )
        )
        status, answer = self.api.answers.popleft() if self.api.answers else (201, {})
        self._send_json(status, answer)
        self.api.arrived.set()


@contextmanager
def serve(root: Path) -> Iterator[tuple[str, Api]]:
    """Serve ``root`` on 127.0.0.1 (a free port); yields the base URL and the fake API."""
    api = Api()
    handler = partial(_Handler, directory=str(root), api=api)
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host}:{port}", api
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
