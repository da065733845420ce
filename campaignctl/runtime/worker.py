"""The worker loop: runs every :data:`campaignctl.runtime.hooks.JOBS` entry on its interval.

Jobs run in a thread so a slow one (a CRM batch) never stalls the HTTP server
that shares the process. A failing job is logged and retried at its next turn.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from sqlalchemy import Connection

from campaignctl.runtime import hooks
from campaignctl.runtime.antifraud import purge_expired
from campaignctl.runtime.context import RuntimeContext

log = logging.getLogger(__name__)


def _purge(ctx: RuntimeContext) -> None:
    conn: Connection
    with ctx.engine.begin() as conn:
        purge_expired(conn, ctx.clock())


PURGE_COUNTERS = hooks.Job("purge-fraud-counters", 600.0, _purge)


def jobs() -> list[hooks.Job]:
    return [PURGE_COUNTERS, *hooks.JOBS]


async def run_jobs(ctx: RuntimeContext, stop: asyncio.Event, tick: float = 1.0) -> None:
    """Run due jobs until ``stop`` is set."""
    due: dict[str, float] = {}
    while not stop.is_set():
        now = time.monotonic()
        for job in jobs():
            if due.get(job.name, 0.0) <= now:
                due[job.name] = now + job.interval_seconds
                try:
                    await asyncio.to_thread(job.run, ctx)
                except Exception:
                    log.exception("job %s failed", job.name)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=tick)
