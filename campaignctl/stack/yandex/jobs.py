"""What the ``jobs`` function does when a timer fires: the due work of that minute, idempotently.

Triggers in pulumi-yandex 0.13 carry no payload, so the handler reads the
event's time and runs each of the campaign's timers (:func:`.schedule.timers`)
whose cron matches that minute: the daily report (rewritten whole, so a second
run leaves the same report) and draws (committed if no commitment exists yet,
then drawn once: a round drawn before is reported, never drawn again). A round
whose own timer failed is drawn by the catch-up timer, every ten minutes, and a
failed job holds no other back: the run ends in an error naming it (logged and
counted by Cloud Functions), and the dashboard and ``/metrics`` show the round as
overdue until it is drawn. Every run also purges expired anti-fraud counters. The outbox is the relay function's
(:func:`campaignctl.stack.yandex.handler.relay`), every minute.

In the cloud the files written go to the reports bucket (:mod:`.artefacts`)
after every job of the minute ran, so a failed upload holds no draw back. A
draw found drawn before has its local files uploaded again when this instance
still holds them: a run that drew and then failed to upload is repaired by the
next run on the same instance.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from campaignctl.runtime.context import RuntimeContext
from campaignctl.runtime.worker import PURGE_COUNTERS
from campaignctl.stack.yandex.artefacts import DRAWS_PREFIX, REPORTS_PREFIX, ReportsBucket
from campaignctl.stack.yandex.schedule import CATCH_UP_AFTER, fires_at, timers

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Output:
    """Files a job wrote: ``files`` inside ``folder``, kept under ``prefix`` in the bucket."""

    folder: Path
    files: tuple[Path, ...]
    prefix: str


class JobsFailed(RuntimeError):
    """Jobs of this run failed; the others ran. Raised after all of them so that the
    function invocation ends in an error, which Cloud Functions logs and counts."""


def run_due(
    ctx: RuntimeContext, at: datetime, bucket: ReportsBucket | None = None
) -> dict[str, Any]:
    """Run the jobs whose timer fires at ``at``; a job that fails holds no other back."""
    ran: list[str] = []
    skipped: list[str] = []
    failed: list[str] = []
    outputs: list[Output] = []
    report, draws = _due(ctx, at, failed)
    if report:
        try:
            outputs.append(_report(ctx, at))
            ran.append("report")
        except Exception as exc:
            log.exception("the daily report failed")
            failed.append(f"report: {exc}")
    for round_id in draws:
        try:
            drawn, output = _draw(ctx, round_id, at)
        except Exception as exc:
            log.exception("draw %s failed; the catch-up timer tries again", round_id)
            failed.append(f"draw:{round_id}: {exc}")
            continue
        (ran if drawn else skipped).append(f"draw:{round_id}")
        if output is not None:
            outputs.append(output)
    PURGE_COUNTERS.run(ctx)
    uploaded: list[str] = []
    if bucket is not None:
        for output in outputs:
            uploaded += bucket.put_files(output.folder, output.files, output.prefix)
    if failed:
        raise JobsFailed("; ".join(failed))
    return {"at": at.isoformat(), "ran": ran, "skipped": skipped, "uploaded": uploaded}


def _due(ctx: RuntimeContext, at: datetime, failed: list[str]) -> tuple[bool, list[str]]:
    """Whether the report is due at ``at``, and the rounds to draw (their own timers'
    first, then the catch-up's overdue ones)."""
    report = False
    draws: list[str] = []
    for timer in timers(ctx.campaign):
        if not fires_at(timer.cron, at):
            continue
        if timer.job == "report":
            report = True
        elif timer.job.startswith("draw:"):
            draws.append(timer.job.removeprefix("draw:"))
        elif timer.job == "catch-up":
            try:
                draws += [d for d in overdue_rounds(ctx, at - CATCH_UP_AFTER) if d not in draws]
            except Exception as exc:
                log.exception("the draws' catch-up could not read the rounds")
                failed.append(f"catch-up: {exc}")
    return report, draws


def overdue_rounds(ctx: RuntimeContext, at: datetime) -> list[str]:
    """The campaign's rounds whose moment is at or before ``at`` and that are not drawn."""
    from campaignctl.draws.tables import draw_rounds  # noqa: PLC0415

    due = [d.id for d in ctx.campaign.draws if d.at <= at]
    if not due:
        return []
    with ctx.engine.connect() as conn:
        drawn = set(
            conn.execute(
                select(draw_rounds.c.id).where(
                    draw_rounds.c.id.in_(due), draw_rounds.c.state == "drawn"
                )
            ).scalars()
        )
    return [d for d in due if d not in drawn]


def _report(ctx: RuntimeContext, at: datetime) -> Output:
    from campaignctl.reports.build import write_report  # noqa: PLC0415 - matplotlib loads slowly

    written = write_report(ctx.campaign, ctx.engine, ctx.sealer, clock=lambda: at)
    return Output(written.folder, written.files, f"{REPORTS_PREFIX}/{written.folder.name}")


def _draw(ctx: RuntimeContext, round_id: str, at: datetime) -> tuple[bool, Output | None]:
    """Draw the round (False when it was drawn before) and the published files held here."""
    from campaignctl.draws.errors import RoundAlreadyDrawn  # noqa: PLC0415
    from campaignctl.draws.service import (  # noqa: PLC0415
        commit_round,
        draw_round,
        published_folder,
    )

    url = ctx.engine.url.render_as_string(hide_password=False)
    prefix = f"{DRAWS_PREFIX}/{round_id}"
    try:
        commit_round(ctx.campaign, round_id, url=url, clock=lambda: at)
        drawn = draw_round(ctx.campaign, round_id, url=url, clock=lambda: at)
    except RoundAlreadyDrawn:
        folder = published_folder(ctx.campaign, round_id)
        if not folder.is_dir():
            return False, None
        files = tuple(sorted(p for p in folder.iterdir() if p.is_file()))
        return False, Output(folder, files, prefix)
    return True, Output(drawn.folder, drawn.files, prefix)
