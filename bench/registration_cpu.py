"""Server CPU per code registration and per /healthz, in-process, without a network.

What it measures: the process CPU time (``time.process_time``: every thread,
wherever the group commit runs its batches) that the runtime's ASGI app spends on N
``POST /api/v1/registrations`` JSON requests, each with a fresh code and a fresh
phone, and on N ``GET /healthz``; it prints milliseconds per request for both
and their ratio. The registration-specific cost is the difference: both go
through the same middleware and routing, so a change to the registration path
shows there. bench/api.py measures the same server over loopback with wrk; use
this one to see a change's effect on a busy shared machine (CPU time does not
depend on what else runs, wall time does).

How: copies examples/bottle-caps to a temporary folder with the two attempt
limits raised (as bench/api.py does: every request comes from one address),
generates a batch with ``python -m campaignctl codes generate``, builds the app
as a one-process server does (:func:`campaignctl.runtime.app.create_app`, the
rehearsal clock at noon of the first registration day, as ``up --clock start``,
the server's GIL switch interval) and calls
it directly as an ASGI application from CONCURRENCY tasks on one event loop, so
group-commit batches form as under load. The requests are plain ASGI scopes, as
uvicorn builds them: an HTTP client in the same process (httpx's ASGITransport)
would add its own CPU to both figures and hide the server's. uvicorn's HTTP
parsing is not included (it is the same for both kinds of request). The job loop
is not run (``run_worker=False``): it is not part of a request.

Every answer must be 201 (registrations) or 200 (/healthz), and the database
must hold one registration and one outbox message per 201; otherwise the script
exits non-zero.

    .venv/bin/python bench/registration_cpu.py [-n 20000] [-c 32] [-r 4] [--profile OUT.txt]

The requests run in ``-r`` alternating rounds (registrations, /healthz, ...); the
figures are the mean over the rounds and the best (least disturbed) round. On a
shared machine CPU time per request rises too when a neighbour is busy (shared
caches and cores), so compare runs by the best round or by the ratio.

``--profile`` (one round) samples this process with py-spy (``.venv/bin/pip install py-spy``)
during the registrations, every thread (cProfile would see the event loop's
thread only, not the group-commit writer), writes the raw stacks to OUT.txt and
prints the top frames. The sampler's own CPU is not in the figures (it is
another process), but the pauses it causes are.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.api import _bench_campaign, _check_database, _codes, _top_frames  # noqa: E402

Message = MutableMapping[str, Any]
Asgi = Callable[
    [Message, Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]],
    Awaitable[None],
]
WARM_UP = 500


def _scope(method: str, path: str, headers: list[tuple[bytes, bytes]]) -> Message:
    """An HTTP scope as uvicorn hands it to the app."""
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "server": ("127.0.0.1", 8080),
        "client": ("127.0.0.1", 50000),
        "scheme": "http",
        "method": method,
        "root_path": "",
        "path": path,
        "raw_path": path.encode("ascii"),
        "query_string": b"",
        "headers": [(b"host", b"127.0.0.1:8080"), *headers],
        "state": {},
    }


async def _call(app: Asgi, scope: Message, body: bytes) -> int:
    """Send one request to ``app``; its status code (the body is read and dropped)."""
    sent = False
    status = 0

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.Event().wait()  # a client that stays connected
        return {"type": "http.disconnect"}  # pragma: no cover

    async def send(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = int(message["status"])

    await app(scope, receive, send)
    return status


def _registration(code: str, phone: str) -> tuple[Message, bytes]:
    body = json.dumps(
        {"code": code, "phone": phone, "consent": True, "age_confirmed": True}
    ).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
    ]
    return _scope("POST", "/api/v1/registrations", headers), body


async def _drive(
    app: Asgi, requests: Iterator[tuple[Message, bytes]], concurrency: int
) -> Counter[int]:
    statuses: Counter[int] = Counter()

    async def worker() -> None:
        for scope, body in requests:  # one shared iterator: each request is sent once
            statuses[await _call(app, scope, body)] += 1

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return statuses


def _measure(
    app: Asgi, requests: list[tuple[Message, bytes]], concurrency: int
) -> tuple[float, Counter[int]]:
    """CPU seconds per request, and the status codes."""
    cpu = time.process_time()
    statuses = asyncio.run(_drive(app, iter(requests), concurrency))
    return (time.process_time() - cpu) / len(requests), statuses


def _profile(out: Path) -> subprocess.Popen[bytes]:
    spy = shutil.which("py-spy", path=str(Path(sys.executable).parent)) or shutil.which("py-spy")
    if spy is None:
        sys.exit("py-spy not found: .venv/bin/pip install py-spy")
    args = [spy, "record", "-p", str(os.getpid()), "-r", "200", "-f", "raw", "-o", str(out)]
    started = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.0)  # py-spy attaches before the first request
    return started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", "--requests", type=int, default=20_000)
    parser.add_argument("-c", "--concurrency", type=int, default=32)
    parser.add_argument("-r", "--rounds", type=int, default=4, help="alternating rounds")
    parser.add_argument("--profile", type=Path, default=None, help="py-spy raw output file")
    args = parser.parse_args()
    rounds: int = 1 if args.profile else args.rounds
    size: int = args.requests // rounds
    n = size * rounds
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "caps"
        _bench_campaign(folder)
        codes = _codes(folder, n + WARM_UP).read_text().split()

        from campaignctl.runtime.app import create_app  # noqa: PLC0415
        from campaignctl.runtime.context import CLOCK_ENV  # noqa: PLC0415
        from campaignctl.runtime.serve import SWITCH_INTERVAL  # noqa: PLC0415
        from campaignctl.runtime.up import clock_offset  # noqa: PLC0415
        from campaignctl.spec import load_campaign  # noqa: PLC0415

        campaign = load_campaign(folder / "campaign.yaml")
        os.environ[CLOCK_ENV] = str(clock_offset(campaign, "start"))
        sys.setswitchinterval(SWITCH_INTERVAL)
        app = create_app(campaign)
        registrations = [
            _registration(code, f"+7900{i:07d}") for i, code in enumerate(codes[: n + WARM_UP])
        ]
        health = [(_scope("GET", "/healthz", []), b"") for _ in range(size)]
        # Warm-up: first-call caches (compiled statements, the batch book, key ring).
        _measure(app, registrations[:WARM_UP], args.concurrency)
        _measure(app, health[:WARM_UP], args.concurrency)
        reg = _Figures()
        checks = _Figures()
        for i in range(rounds):
            # Alternating rounds see the same machine: a neighbour's burst of load
            # (which slows CPU time too, on shared cores) hits both kinds alike.
            first = WARM_UP + i * size
            spy = _profile(args.profile) if args.profile else None
            reg.add(app, registrations[first : first + size], args.concurrency)
            if spy is not None:
                spy.send_signal(signal.SIGINT)  # py-spy writes its output on SIGINT
                spy.wait()
            checks.add(app, health, args.concurrency)
        app.state.runtime.engine.dispose()
        db = _check_database(folder)
    print(f"{n} requests each in {rounds} alternating rounds, {args.concurrency} concurrent")
    print(f"registration: {reg}")
    print(f"/healthz:     {checks}")
    print(
        f"ratio registration/healthz CPU: {reg.mean() / checks.mean():.2f} "
        f"(best rounds: {reg.best() / checks.best():.2f})"
    )
    print(f"database: {db}")
    if args.profile:
        print(_top_frames(args.profile, 40))
    created = n + WARM_UP
    ok = (
        reg.statuses == Counter({201: n})
        and checks.statuses == Counter({200: n})
        and db["registrations"] == created
        and db["outbox"] == created
        and db["min_stock"] >= 0
    )
    if not ok:
        sys.exit("FAILED: an answer was not 201/200, or the database does not match the 201s")


class _Figures:
    """CPU seconds per request of each round, wall time and status codes of all rounds."""

    def __init__(self) -> None:
        self.rounds: list[float] = []
        self.wall = 0.0
        self.statuses: Counter[int] = Counter()

    def add(self, app: Asgi, requests: list[tuple[Message, bytes]], concurrency: int) -> None:
        t0 = time.monotonic()
        cpu, statuses = _measure(app, requests, concurrency)
        self.wall += time.monotonic() - t0
        self.rounds.append(cpu)
        self.statuses += statuses

    def mean(self) -> float:
        return sum(self.rounds) / len(self.rounds)

    def best(self) -> float:
        return min(self.rounds)

    def __str__(self) -> str:
        count = sum(self.statuses.values())
        rounds = " ".join(f"{1000 * cpu:.3f}" for cpu in self.rounds)
        return (
            f"{1000 * self.mean():.3f} ms CPU/request (rounds {rounds}; "
            f"{count / self.wall:,.0f}/s wall), statuses {dict(self.statuses)}"
        )


if __name__ == "__main__":
    main()
