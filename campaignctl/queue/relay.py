"""The outbox relay: committed outbox messages into Message Queue, for the cloud stack.

A registration commits its CRM and SMS messages to the transactional outbox
with itself (:func:`campaignctl.queue.enqueue`); in the cloud the relay moves
them on to the Message Queue of their topic, where a queue trigger feeds the
worker function that delivers them. The relay function runs every minute, so a
message waits at most about a minute (plus one relay run) before it is queued.

The relay claims due messages with the outbox's own lease, so two relays (an
overlapping run, a retried invocation) never take the same message. It sends a
claimed batch with ``SendMessageBatch`` and marks a message ``delivered`` in the
outbox only after the service accepted it. A relay that dies between the two
steps leaves the message ``in_flight`` until its lease runs out; the next relay
sends it again. The second copy is dropped by the service's five-minute
deduplication window on a FIFO queue (the deduplication id is the SHA-256 of
the idempotency key) and otherwise by the receiver's ``Idempotency-Key``: the
stack's queues are standard queues (a trigger reads nothing else), so there the
receiver's dedupe is what makes the resend harmless. A refused send is retried
with the worker's backoff and buried in the outbox after the policy's last
attempt (``campaignctl queue retry`` replays it).

A topic's queue is named by its first dotted part (``crm.registration`` and
``crm.winner`` go to the ``crm`` queue, ``sms.send`` to ``sms``). Topics with
no queue are handed to ``local`` (the delivery worker's own handlers), as the
local target would deliver them.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from campaignctl.queue.message import Message, Queue
from campaignctl.queue.policy import RetryPolicy
from campaignctl.queue.sqs import MAX_BATCH, SqsQueue
from campaignctl.queue.worker import Tally, Worker

RUN_SECONDS = 40.0
"""How long one relay run claims new batches; the relay function's timeout is 60 s."""
RUN_LIMIT = 20_000
"""Messages one run claims at most, so a backlog is moved in bounded steps."""


def route(topic: str) -> str:
    """The queue a topic goes to: its first dotted part."""
    return topic.partition(".")[0]


@dataclass
class RelayTally:
    relayed: int = 0
    """Accepted by Message Queue and marked in the outbox."""
    local: Tally = field(default_factory=Tally)
    """Topics without a queue, delivered by the local handlers."""
    retried: int = 0
    dead: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def claimed(self) -> int:
        return self.relayed + self.retried + self.dead + self.local.claimed


class Relay:
    """Moves due outbox messages into the Message Queue of their topic."""

    def __init__(
        self,
        outbox: Queue,
        queues: Mapping[str, SqsQueue],
        *,
        local: Mapping[str, Callable[[Message], None]] | None = None,
        policy: RetryPolicy | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.outbox = outbox
        self.queues = dict(queues)
        self.policy = policy or RetryPolicy()
        # The worker settles failures (backoff, dead letters) and delivers local topics.
        self.worker = Worker(outbox, local or {}, self.policy)
        self.monotonic = monotonic

    def run(self, seconds: float = RUN_SECONDS, limit: int = RUN_LIMIT) -> RelayTally:
        """Claim and relay batches until none is due, ``seconds`` passed or ``limit`` claimed."""
        tally = RelayTally()
        deadline = self.monotonic() + seconds
        while tally.claimed < limit and self.monotonic() < deadline:
            claimed = self.outbox.claim(
                min(self.policy.batch, limit - tally.claimed), self.policy.lease_seconds
            )
            if not claimed:
                break
            self.relay(claimed, tally)
        return tally

    def relay(self, claimed: Sequence[Message], tally: RelayTally) -> None:
        """Send claimed messages to their queues (local topics to their handlers) and settle."""
        by_queue: dict[str, list[Message]] = {}
        for message in claimed:
            name = route(message.topic)
            if name in self.queues:
                by_queue.setdefault(name, []).append(message)
            else:
                self.worker.deliver(message, tally.local)
        for name, messages in by_queue.items():
            for start in range(0, len(messages), MAX_BATCH):
                self._send(self.queues[name], messages[start : start + MAX_BATCH], tally)

    def _send(self, queue: SqsQueue, chunk: Sequence[Message], tally: RelayTally) -> None:
        try:
            failed = queue.enqueue_batch([(m.topic, m.key, m.payload) for m in chunk])
        except Exception as exc:  # the service is down or refuses our key: retry them all
            failed = dict.fromkeys((m.key for m in chunk), f"{type(exc).__name__}: {exc}")
        for message in chunk:
            error = failed.get(message.key)
            if error is None:
                # Only now: a crash before this line makes the next relay send it again.
                self.outbox.ack(message)
                tally.relayed += 1
                continue
            settled = Tally()
            self.worker.fail(message, f"relay to Message Queue: {error}", settled)
            tally.retried += settled.retried
            tally.dead += settled.dead
            tally.errors += settled.errors
