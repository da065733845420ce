"""``python -m campaignctl.runtime.serve CAMPAIGN.yaml --host H --port P``: the server process.

Runs uvicorn with the campaign's app and the worker loop in one process;
uvicorn stops cleanly on SIGINT and SIGTERM. ``campaignctl up`` runs this in the
foreground (in its own process) or detached.
"""

from __future__ import annotations

import argparse
import contextlib
import os
from pathlib import Path

import uvicorn

from campaignctl.runtime.app import create_app
from campaignctl.runtime.context import CLOCK_ENV
from campaignctl.runtime.process import Running, pid_path, write_pid
from campaignctl.spec import load_campaign


def serve(source: Path, host: str, port: int, *, log_level: str = "warning") -> None:
    campaign = load_campaign(source)
    app = create_app(campaign, run_worker=True)
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level=log_level,
        access_log=False,
        loop="uvloop",
        http="httptools",
        server_header=False,
    )
    server = uvicorn.Server(config)
    offset = float(os.environ.get(CLOCK_ENV) or 0)
    write_pid(campaign, Running(os.getpid(), host, port, offset))
    try:
        server.run()
    finally:
        with contextlib.suppress(OSError):
            pid_path(campaign).unlink()
        app.state.runtime.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(prog="campaignctl-serve")
    parser.add_argument("campaign", type=Path)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--log-level", default="warning")
    args = parser.parse_args()
    serve(args.campaign, args.host, args.port, log_level=args.log_level)


if __name__ == "__main__":
    main()
