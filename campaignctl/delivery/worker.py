"""The delivery worker of a running campaign: CRM sync and SMS replies over the outbox.

The runtime's job loop calls :func:`deliver` every second. The loop runs its
jobs one after another, and a slow one (the daily report renders charts)
would hold deliveries back for its whole run, so :func:`deliver` only makes
sure a delivery thread is running for the campaign (and starts a new one if it
died); that thread claims and delivers continuously. Killing the process
kills the thread mid-delivery, which the queue's leases are made for.
:func:`build_worker` is also what tests use to run a worker on their own.
"""

from __future__ import annotations

import os
import threading
import time

from sqlalchemy import Engine

from campaignctl.delivery.crm import CrmDelivery
from campaignctl.delivery.csv_export import export_csv
from campaignctl.delivery.sms import SmsDelivery
from campaignctl.model import Campaign
from campaignctl.queue import OutboxQueue, RetryPolicy, Tally, Worker
from campaignctl.runtime.context import RuntimeContext

CSV_INTERVAL_ENV = "CAMPAIGNCTL_CSV_EXPORT_SECONDS"
CSV_INTERVAL_DEFAULT = 900.0

_threads: dict[int, threading.Thread] = {}
_lock = threading.Lock()


def build_worker(campaign: Campaign, engine: Engine, policy: RetryPolicy | None = None) -> Worker:
    handlers = {
        **CrmDelivery(campaign, engine).handlers(),
        **SmsDelivery(campaign, engine).handlers(),
    }
    return Worker(OutboxQueue(engine), handlers, policy or RetryPolicy.from_env())


def deliver(ctx: RuntimeContext) -> None:
    """The job: keep one delivery thread running for this context's database."""
    with _lock:
        thread = _threads.get(id(ctx.engine))
        if thread is not None and thread.is_alive():
            return
        worker = build_worker(ctx.campaign, ctx.engine)
        thread = threading.Thread(
            target=worker.run,
            args=(threading.Event(),),
            name=f"delivery-{ctx.campaign.slug}",
            daemon=True,
        )
        _threads[id(ctx.engine)] = thread
        thread.start()


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
