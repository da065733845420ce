"""Server CPU per code registration and per /healthz, in-process, without a network.

What it measures: the process CPU time (``time.process_time``: every thread, so
the group-commit writer too) that the runtime's ASGI app spends on N
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
as the server does (:func:`campaignctl.runtime.app.create_app`, the rehearsal
clock at noon of the first registration day, as ``up --clock start``) and calls
it directly as an ASGI application from CONCURRENCY tasks on one event loop, so
group-commit batches form as under load. The requests are plain ASGI scopes, as
uvicorn builds them: an HTTP client in the same process (httpx's ASGITransport)
would add its own CPU to both figures and hide the server's. uvicorn's HTTP
parsing is not included (it is the same for both kinds of request). The job loop
is not run (``run_worker=False``): it is not part of a request.

Every answer must be 201 (registrations) or 200 (/healthz), and the database
must hold one registration and one outbox message per 201; otherwise the script
exits non-zero.

    .venv/bin/python bench/registration_cpu.py [-n 20000] [-c 32] [--profile OUT.prof]

``--profile`` runs the registrations under cProfile and writes the stats to
OUT.prof (then prints the top functions); the CPU figures of a profiled run are
inflated by the profiler.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import os
import pstats
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.api import _bench_campaign, _check_database, _codes  # noqa: E402

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", "--requests", type=int, default=20_000)
    parser.add_argument("-c", "--concurrency", type=int, default=32)
    parser.add_argument("--profile", type=Path, default=None, help="cProfile output file")
    args = parser.parse_args()
    n: int = args.requests
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "caps"
        _bench_campaign(folder)
        codes = _codes(folder, n + WARM_UP).read_text().split()

        from campaignctl.runtime.app import create_app  # noqa: PLC0415
        from campaignctl.runtime.context import CLOCK_ENV  # noqa: PLC0415
        from campaignctl.runtime.up import clock_offset  # noqa: PLC0415
        from campaignctl.spec import load_campaign  # noqa: PLC0415

        campaign = load_campaign(folder / "campaign.yaml")
        os.environ[CLOCK_ENV] = str(clock_offset(campaign, "start"))
        app = create_app(campaign)
        registrations = [
            _registration(code, f"+7900{i:07d}") for i, code in enumerate(codes[: n + WARM_UP])
        ]
        health = [(_scope("GET", "/healthz", []), b"") for _ in range(n + WARM_UP)]
        # Warm-up: first-call caches (compiled statements, the batch book, key ring).
        _measure(app, registrations[:WARM_UP], args.concurrency)
        _measure(app, health[:WARM_UP], args.concurrency)
        profiler = cProfile.Profile() if args.profile else None
        if profiler is not None:
            profiler.enable()
        t0 = time.monotonic()
        reg_cpu, reg_statuses = _measure(app, registrations[WARM_UP:], args.concurrency)
        reg_wall = time.monotonic() - t0
        if profiler is not None:
            profiler.disable()
        t0 = time.monotonic()
        health_cpu, health_statuses = _measure(app, health[WARM_UP:], args.concurrency)
        health_wall = time.monotonic() - t0
        app.state.runtime.engine.dispose()
        db = _check_database(folder)
    print(f"{n} requests each, {args.concurrency} concurrent, in-process ASGI")
    print(
        f"registration: {1000 * reg_cpu:.3f} ms CPU/request "
        f"({n / reg_wall:,.0f}/s wall), statuses {dict(reg_statuses)}"
    )
    print(
        f"/healthz:     {1000 * health_cpu:.3f} ms CPU/request "
        f"({n / health_wall:,.0f}/s wall), statuses {dict(health_statuses)}"
    )
    print(f"ratio registration/healthz CPU: {reg_cpu / health_cpu:.2f}")
    print(f"database: {db}")
    if profiler is not None:
        profiler.dump_stats(args.profile)
        pstats.Stats(str(args.profile)).sort_stats("cumulative").print_stats(40)
    created = n + WARM_UP
    ok = (
        reg_statuses == Counter({201: n})
        and health_statuses == Counter({200: n})
        and db["registrations"] == created
        and db["outbox"] == created
        and db["min_stock"] >= 0
    )
    if not ok:
        sys.exit("FAILED: an answer was not 201/200, or the database does not match the 201s")


if __name__ == "__main__":
    main()
