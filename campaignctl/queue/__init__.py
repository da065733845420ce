"""Outgoing messages that must arrive: CRM deliveries, SMS replies.

One interface (:class:`Queue`) with two backends: the transactional outbox in the
campaign database (local target; :func:`enqueue` inside the registration's own
transaction) and FIFO queues on Yandex Message Queue (cloud stack). The
:class:`Worker` delivers with backoff and jitter, an idempotency key on every
message, and dead letters after the policy's last attempt.
"""

from __future__ import annotations

from campaignctl.queue.message import STATES, Message, MessageInfo, Payload, Queue, State
from campaignctl.queue.outbox import OutboxQueue, enqueue
from campaignctl.queue.policy import RetryPolicy
from campaignctl.queue.worker import DeliveryFailed, Handler, Tally, Worker

__all__ = [
    "STATES",
    "DeliveryFailed",
    "Handler",
    "Message",
    "MessageInfo",
    "OutboxQueue",
    "Payload",
    "Queue",
    "RetryPolicy",
    "State",
    "Tally",
    "Worker",
    "enqueue",
]
