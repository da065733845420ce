"""The delivery worker of a running campaign: CRM sync and SMS replies over the outbox.

The runtime's job loop calls :func:`deliver` every second; each call drains
what is due, for at most :data:`DRAIN_SECONDS`, so other jobs keep their turn.
:func:`build_worker` is also what ``bench/`` and tests use to run a worker on
its own.
"""

from __future__ import annotations

import os
import time

from sqlalchemy import Engine

from campaignctl.delivery.crm import CrmDelivery
from campaignctl.delivery.csv_export import export_csv
from campaignctl.delivery.sms import SmsDelivery
from campaignctl.model import Campaign
from campaignctl.queue import OutboxQueue, RetryPolicy, Tally, Worker
from campaignctl.runtime.context import RuntimeContext

DRAIN_SECONDS = 10.0
CSV_INTERVAL_ENV = "CAMPAIGNCTL_CSV_EXPORT_SECONDS"
CSV_INTERVAL_DEFAULT = 900.0

_workers: dict[int, Worker] = {}


def build_worker(campaign: Campaign, engine: Engine, policy: RetryPolicy | None = None) -> Worker:
    handlers = {
        **CrmDelivery(campaign, engine).handlers(),
        **SmsDelivery(campaign, engine).handlers(),
    }
    return Worker(OutboxQueue(engine), handlers, policy or RetryPolicy.from_env())


def deliver(ctx: RuntimeContext) -> None:
    """One turn of the job loop: deliver due messages for up to DRAIN_SECONDS."""
    worker = _workers.get(id(ctx.engine))
    if worker is None:
        worker = _workers[id(ctx.engine)] = build_worker(ctx.campaign, ctx.engine)
    drain_for(worker, DRAIN_SECONDS)


def drain_for(worker: Worker, seconds: float) -> Tally:
    """Run batches until nothing is due or ``seconds`` passed."""
    total = Tally()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        tally = worker.run_once()
        if tally.claimed == 0:
            break
        total.delivered += tally.delivered
        total.retried += tally.retried
        total.dead += tally.dead
    return total


def export_job(ctx: RuntimeContext) -> None:
    crm = ctx.campaign.crm
    if crm is not None and crm.target == "csv":
        export_csv(ctx.campaign)


def csv_interval() -> float:
    raw = os.environ.get(CSV_INTERVAL_ENV)
    try:
        return float(raw) if raw else CSV_INTERVAL_DEFAULT
    except ValueError:
        return CSV_INTERVAL_DEFAULT
