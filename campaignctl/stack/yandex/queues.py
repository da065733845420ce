"""Message Queue: one queue per worker, each with a dead-letter queue.

The HTTP function enqueues; a FunctionTrigger per queue (:mod:`.triggers`)
feeds the worker function in batches. A message that fails ``MAX_RECEIVES``
times moves to the worker's dead-letter queue, kept for 14 days for replay.
Queues are created through the SQS-compatible API, which needs a static key:
the deployer's (``YC_MESSAGE_QUEUE_ACCESS_KEY``/``..._SECRET_KEY``, see deploy).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pulumi
import pulumi_yandex as yandex

from campaignctl.model import Campaign
from campaignctl.stack.yandex.naming import Naming

MAX_RECEIVES = 5
VISIBILITY_SECONDS = 120
"""Longer than the worker function's timeout, so a running batch is not handed out twice."""
RETENTION_SECONDS = 4 * 24 * 3600
DLQ_RETENTION_SECONDS = 14 * 24 * 3600
CRM_TARGETS_SYNCED = frozenset({"webhook", "bitrix24", "amocrm"})
"""CRM targets the worker pushes to; ``csv`` is an export and ``none`` is nothing."""


def workers(campaign: Campaign) -> tuple[str, ...]:
    """The queue workers this campaign needs: ``crm`` (CRM sync) and ``sms`` (replies)."""
    found = []
    if campaign.crm is not None and campaign.crm.target in CRM_TARGETS_SYNCED:
        found.append("crm")
    if campaign.channels.sms is not None:
        found.append("sms")
    return tuple(found)


def redrive_policy(dead_letter_arn: str) -> str:
    return json.dumps({"deadLetterTargetArn": dead_letter_arn, "maxReceiveCount": MAX_RECEIVES})


@dataclass(frozen=True)
class QueuesArgs:
    naming: Naming
    workers: tuple[str, ...]


class Queues(pulumi.ComponentResource):
    queues: dict[str, yandex.MessageQueue]
    dead_letters: dict[str, yandex.MessageQueue]

    def __init__(self, name: str, args: QueuesArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("campaignctl:yandex:Queues", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        n = args.naming
        self.queues = {}
        self.dead_letters = {}
        for worker in args.workers:
            dead = yandex.MessageQueue(
                f"{worker}-dlq",
                name=n.name(f"{worker}-dlq", limit=80),
                message_retention_seconds=DLQ_RETENTION_SECONDS,
                opts=child,
            )
            self.dead_letters[worker] = dead
            self.queues[worker] = yandex.MessageQueue(
                worker,
                name=n.name(worker, limit=80),
                visibility_timeout_seconds=VISIBILITY_SECONDS,
                message_retention_seconds=RETENTION_SECONDS,
                receive_wait_time_seconds=20,
                redrive_policy=dead.arn.apply(redrive_policy),
                opts=child,
            )
        self.register_outputs({w: q.id for w, q in self.queues.items()})
