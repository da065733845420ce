"""What the ``jobs`` function does when a timer fires: the due work of that minute, idempotently.

Triggers in pulumi-yandex 0.13 carry no payload, so the handler reads the
event's time and runs each of the campaign's timers (:func:`.schedule.timers`)
whose cron matches that minute: the daily report (rewritten whole, so a second
run leaves the same report) and draws (committed if no commitment exists yet,
then drawn once: a round drawn before is reported, never drawn again). Every run
also purges expired anti-fraud counters. The outbox is the relay function's
(:func:`campaignctl.stack.yandex.handler.relay`), every minute.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from campaignctl.runtime.context import RuntimeContext
from campaignctl.runtime.worker import PURGE_COUNTERS
from campaignctl.stack.yandex.schedule import fires_at, timers


def run_due(ctx: RuntimeContext, at: datetime) -> dict[str, Any]:
    ran: list[str] = []
    skipped: list[str] = []
    for timer in timers(ctx.campaign):
        if not fires_at(timer.cron, at):
            continue
        if timer.job == "report":
            _report(ctx, at)
            ran.append("report")
        elif timer.job.startswith("draw:"):
            round_id = timer.job.removeprefix("draw:")
            (ran if _draw(ctx, round_id, at) else skipped).append(timer.job)
    PURGE_COUNTERS.run(ctx)
    return {"at": at.isoformat(), "ran": ran, "skipped": skipped}


def _report(ctx: RuntimeContext, at: datetime) -> None:
    from campaignctl.reports.build import write_report  # noqa: PLC0415 - matplotlib loads slowly

    write_report(ctx.campaign, ctx.engine, ctx.sealer, clock=lambda: at)


def _draw(ctx: RuntimeContext, round_id: str, at: datetime) -> bool:
    """Draw the round; False when it was drawn before."""
    from campaignctl.draws.errors import RoundAlreadyDrawn  # noqa: PLC0415
    from campaignctl.draws.service import commit_round, draw_round  # noqa: PLC0415

    url = ctx.engine.url.render_as_string(hide_password=False)
    try:
        commit_round(ctx.campaign, round_id, url=url, clock=lambda: at)
        draw_round(ctx.campaign, round_id, url=url, clock=lambda: at)
    except RoundAlreadyDrawn:
        return False
    return True
