"""Triggers: one per queue (Yandex allows one trigger per queue) and one per timer.

Queue triggers hand batches to the worker functions. Timer triggers wake the
jobs function on time; a trigger in pulumi-yandex 0.13 carries no payload, so
the timer handler runs whatever is due at the event's time (the daily report,
a draw whose moment has come), idempotently. The relay function has a timer of
its own, every minute, and one job: move the outbox into the queues (leases
make two overlapping runs safe). Cron is UTC (:mod:`.schedule`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pulumi
import pulumi_yandex as yandex

from campaignctl.stack.yandex.api import INVOKER_ROLE
from campaignctl.stack.yandex.naming import Naming
from campaignctl.stack.yandex.schedule import RELAY_CRON, Timer

BATCH_SIZE = "10"
BATCH_CUTOFF_SECONDS = "10"


@dataclass(frozen=True)
class TriggersArgs:
    naming: Naming
    service_account_id: pulumi.Input[str]
    queues: Mapping[str, yandex.MessageQueue]
    workers: Mapping[str, yandex.Function]
    jobs: yandex.Function
    relay: yandex.Function
    timers: tuple[Timer, ...]


class Triggers(pulumi.ComponentResource):
    def __init__(self, name: str, args: TriggersArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("campaignctl:yandex:Triggers", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        n = args.naming
        invoker = [pulumi.Output.concat("serviceAccount:", args.service_account_id)]
        invoked = {**args.workers, "jobs": args.jobs, "relay": args.relay}
        for role, function in sorted(invoked.items()):
            yandex.FunctionIamBinding(
                f"{role}-invoker",
                function_id=function.id,
                role=INVOKER_ROLE,
                members=invoker,
                opts=child,
            )
        for worker, queue in sorted(args.queues.items()):
            yandex.FunctionTrigger(
                f"queue-{worker}",
                name=n.name(f"queue-{worker}"),
                description=f"Feeds the {worker} queue to its worker",
                message_queue=yandex.FunctionTriggerMessageQueueArgs(
                    queue_id=queue.arn,
                    service_account_id=args.service_account_id,
                    batch_size=BATCH_SIZE,
                    batch_cutoff=BATCH_CUTOFF_SECONDS,
                ),
                function=yandex.FunctionTriggerFunctionArgs(
                    id=args.workers[worker].id, service_account_id=args.service_account_id
                ),
                labels=n.labels,
                folder_id=n.target.folder_id,
                opts=child,
            )
        for timer in args.timers:
            yandex.FunctionTrigger(
                f"timer-{timer.id}",
                name=n.name(f"timer-{timer.id}"),
                description=f"{timer.description} (cron in UTC)",
                timer=yandex.FunctionTriggerTimerArgs(cron_expression=timer.cron),
                function=yandex.FunctionTriggerFunctionArgs(
                    id=args.jobs.id, service_account_id=args.service_account_id
                ),
                labels=n.labels,
                folder_id=n.target.folder_id,
                opts=child,
            )
        yandex.FunctionTrigger(
            "timer-relay",
            name=n.name("timer-relay"),
            description="outbox relay to Message Queue, every minute (cron in UTC)",
            timer=yandex.FunctionTriggerTimerArgs(cron_expression=RELAY_CRON),
            function=yandex.FunctionTriggerFunctionArgs(
                id=args.relay.id, service_account_id=args.service_account_id
            ),
            labels=n.labels,
            folder_id=n.target.folder_id,
            opts=child,
        )
        self.register_outputs({})
