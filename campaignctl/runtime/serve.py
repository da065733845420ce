"""``python -m campaignctl.runtime.serve CAMPAIGN.yaml --host H --port P [--workers N]``.

With one worker, one process serves HTTP with uvicorn and runs the job loop.
With more, this process is the :class:`~campaignctl.runtime.supervisor.Supervisor`
and starts the HTTP workers (``--worker-of PID``: the same module, serving HTTP
only, on a socket shared through ``SO_REUSEPORT``). Either way uvicorn stops
cleanly on SIGINT and SIGTERM. ``campaignctl up`` runs this in the foreground
(in its own process) or detached.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import sys
from pathlib import Path

import uvicorn
from fastapi import FastAPI

from campaignctl.errors import UserError
from campaignctl.runtime.app import build_context, create_app, default_settings
from campaignctl.runtime.checkpoints import Checkpointer
from campaignctl.runtime.context import CLOCK_ENV
from campaignctl.runtime.process import Running, pid_path, write_pid
from campaignctl.runtime.supervisor import Supervisor, auto_workers, die_with, reuseport_socket
from campaignctl.spec import load_campaign


def _config(app: FastAPI, host: str, port: int, log_level: str) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level=log_level,
        access_log=False,
        loop="uvloop",
        http="httptools",
        server_header=False,
        backlog=4096,
    )


def serve(
    source: Path, host: str, port: int, *, workers: int | None = None, log_level: str = "warning"
) -> int:
    """Serve until stopped; the exit code."""
    campaign = load_campaign(source)
    count = workers or auto_workers()
    offset = float(os.environ.get(CLOCK_ENV) or 0)
    write_pid(campaign, Running(os.getpid(), host, port, offset))
    try:
        if count > 1:
            return Supervisor(source, host, port, count, log_level).run()
        ctx = build_context(campaign, settings=default_settings(campaign), checkpoints=False)
        app = create_app(campaign, context=ctx, run_worker=True)
        checkpointer = Checkpointer.start_for(ctx.engine)
        try:
            settle_heap()
            uvicorn.Server(_config(app, host, port, log_level)).run()
        finally:
            if checkpointer is not None:
                checkpointer.stop()
            ctx.engine.dispose()
        return 0
    finally:
        with contextlib.suppress(OSError):
            pid_path(campaign).unlink()


def serve_worker(source: Path, host: str, port: int, parent: int, log_level: str) -> None:
    """One HTTP worker of a supervisor: the API and the site, no jobs, no migrations."""
    die_with(parent)
    try:
        campaign = load_campaign(source)
    except UserError as exc:  # e.g. the file was edited into an invalid spec since `up`
        sys.exit(f"HTTP worker: {exc.render()}")
    ctx = build_context(
        campaign, settings=default_settings(campaign), migrate=False, checkpoints=False
    )
    app = create_app(campaign, context=ctx)
    sock = reuseport_socket(host, port)
    try:
        settle_heap()
        uvicorn.Server(_config(app, host, port, log_level)).run(sockets=[sock])
    finally:
        ctx.engine.dispose()


def settle_heap() -> None:
    """Take what start-up built (the campaign, the app, SQLAlchemy's and FastAPI's
    objects: ~140,000) out of the garbage collector's full collections.

    A server process promotes the objects of requests in flight to the oldest
    generation whenever a younger collection runs, so a full collection came every
    3-4 s under load, found nothing to free, and held the event loop for 85-140 ms
    (every request of that process waited: the p99). ``gc.freeze`` moves everything
    alive now to a generation no collection visits; a full collection then walks
    only what was made since (about 1 ms). Frozen objects are never collected, which
    is what start-up state is for: it lives as long as the process.
    """
    gc.collect()
    gc.freeze()


SWITCH_INTERVAL = 0.0005
"""Seconds a busy thread keeps the GIL when another asks for it (Python's default: 0.005).

The event loop is busy under load; the threads it hands work to (the wait for
the group commit's turn, the thread pool) each need the GIL back for a moment,
and waiting 5 ms for it at every hand-over kept the database writer idle
between batches (1,054 registrations/s vs 1,306 with this, bench/api.py)."""


def main() -> None:
    sys.setswitchinterval(SWITCH_INTERVAL)
    parser = argparse.ArgumentParser(prog="campaignctl-serve")
    parser.add_argument("campaign", type=Path)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--workers", type=int, default=None, help="HTTP processes (default: cores)")
    parser.add_argument("--log-level", default="warning")
    parser.add_argument("--worker-of", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker_of is not None:
        serve_worker(args.campaign, args.host, args.port, args.worker_of, args.log_level)
        return
    sys.exit(
        serve(args.campaign, args.host, args.port, workers=args.workers, log_level=args.log_level)
    )


if __name__ == "__main__":
    main()
