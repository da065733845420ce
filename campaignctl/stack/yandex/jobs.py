"""What the ``jobs`` function does when a timer fires: the due work of that minute, idempotently.

Triggers in pulumi-yandex 0.13 carry no payload, so the handler reads the
event's time and runs each of the campaign's timers (:func:`.schedule.timers`)
whose cron matches that minute: the daily report (rewritten whole, so a second
run leaves the same report) and draws (committed if no commitment exists yet,
then drawn once: a round drawn before is reported, never drawn again). Every run
also purges expired anti-fraud counters. The outbox is the relay function's
(:func:`campaignctl.stack.yandex.handler.relay`), every minute.

In the cloud the files written go to the reports bucket (:mod:`.artefacts`)
after every job of the minute ran, so a failed upload holds no draw back. A
draw found drawn before has its local files uploaded again when this instance
still holds them: a run that drew and then failed to upload is repaired by the
next run on the same instance.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from campaignctl.runtime.context import RuntimeContext
from campaignctl.runtime.worker import PURGE_COUNTERS
from campaignctl.stack.yandex.artefacts import DRAWS_PREFIX, REPORTS_PREFIX, ReportsBucket
from campaignctl.stack.yandex.schedule import fires_at, timers


@dataclass(frozen=True)
class Output:
    """Files a job wrote: ``files`` inside ``folder``, kept under ``prefix`` in the bucket."""

    folder: Path
    files: tuple[Path, ...]
    prefix: str


def run_due(
    ctx: RuntimeContext, at: datetime, bucket: ReportsBucket | None = None
) -> dict[str, Any]:
    ran: list[str] = []
    skipped: list[str] = []
    outputs: list[Output] = []
    for timer in timers(ctx.campaign):
        if not fires_at(timer.cron, at):
            continue
        if timer.job == "report":
            outputs.append(_report(ctx, at))
            ran.append("report")
        elif timer.job.startswith("draw:"):
            round_id = timer.job.removeprefix("draw:")
            drawn, output = _draw(ctx, round_id, at)
            (ran if drawn else skipped).append(timer.job)
            if output is not None:
                outputs.append(output)
    PURGE_COUNTERS.run(ctx)
    uploaded: list[str] = []
    if bucket is not None:
        for output in outputs:
            uploaded += bucket.put_files(output.folder, output.files, output.prefix)
    return {"at": at.isoformat(), "ran": ran, "skipped": skipped, "uploaded": uploaded}


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
