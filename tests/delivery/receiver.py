"""A CRM on 127.0.0.1 for tests: records every request, dedupes by Idempotency-Key.

It answers like the configured kind of CRM (a webhook receiver, Bitrix24's
REST, amoCRM's API v4) and can be told to fail: answer 503, 429 with
Retry-After, reject some keys with 422, or refuse connections (stopped).
Also usable as a standalone process (``python -m tests.delivery.receiver``)
for the crash test, where it writes each accepted key to a file.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from campaignctl.crm.signing import SignatureInvalid, verify


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


@dataclass
class CrmState:
    secret: bytes | None = None
    mode: str = "ok"
    """ok | 503 | 429"""
    retry_after: str = "1"
    reject_keys: set[str] = field(default_factory=set)
    requests: list[Received] = field(default_factory=list)
    accepted: dict[str, Received] = field(default_factory=dict)
    duplicates: list[str] = field(default_factory=list)
    log: Path | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    next_id: int = 1000
    delay: float = 0.0
    """Seconds each request takes: a slow CRM keeps a backlog in flight."""


def _handler(state: CrmState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            return

        def _reply(
            self, status: int, payload: object, headers: dict[str, str] | None = None
        ) -> None:
            body = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

        def _handle(self) -> None:  # noqa: PLR0912 - one branch per CRM behaviour
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            got = Received(self.command, self.path, dict(self.headers.items()), body)
            key = self.headers.get("Idempotency-Key", "")
            if state.delay:
                time.sleep(state.delay)
            with state.lock:
                state.requests.append(got)
                mode = state.mode
            if mode == "503":
                self._reply(503, {"error": "maintenance"}, {"Retry-After": state.retry_after})
                return
            if mode == "429":
                self._reply(429, {"error": "slow down"}, {"Retry-After": state.retry_after})
                return
            if key in state.reject_keys:
                self._reply(422, {"error": "validation failed"})
                return
            if state.secret is not None:
                try:
                    verify(state.secret, body, dict(self.headers.items()), int(time.time()))
                except SignatureInvalid as exc:
                    self._reply(401, {"error": str(exc)})
                    return
            if "/list.json" in self.path or self.command == "GET":
                self._reply(200, {"result": []} if "/rest/" in self.path else {})
                return
            with state.lock:
                duplicate = key in state.accepted
                if duplicate:
                    state.duplicates.append(key)
                else:
                    state.accepted[key] = got
                if state.log is not None:
                    with state.log.open("a") as out:
                        out.write(f"{'dup' if duplicate else 'ok'} {key}\n")
                state.next_id += 1
                crm_id = state.next_id
            if "/rest/" in self.path:
                self._reply(200, {"result": crm_id})
            elif "/api/v4/leads/complex" in self.path:
                self._reply(200, [{"id": crm_id, "contact_id": crm_id + 1}])
            elif "/api/v4/contacts" in self.path and self.command == "POST":
                self._reply(200, {"_embedded": {"contacts": [{"id": crm_id}]}})
            else:
                self._reply(200, {"ok": True})

        do_POST = _handle
        do_GET = _handle
        do_PATCH = _handle

    return Handler


class CrmReceiver:
    def __init__(self, state: CrmState | None = None, port: int = 0) -> None:
        self.state = state or CrmState()
        self.port = port
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> CrmReceiver:
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), _handler(self.state))
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        """Close the socket: connections are refused until :meth:`start` again."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


def main() -> None:
    port, log = int(sys.argv[1]), Path(sys.argv[2])
    receiver = CrmReceiver(CrmState(log=log), port).start()
    print(receiver.url, flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
