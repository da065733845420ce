"""The delivery worker: claim due messages, hand each to its topic's handler, settle it.

A handler returns when the receiver has the message and raises
:class:`DeliveryFailed` (or anything else) when it has not. A failure is retried
after a jittered backoff (or after the receiver's ``Retry-After``) until the
policy's ``max_attempts``, then the message is buried as a dead letter. Several
workers, in threads or processes, may run on one queue: claims never overlap.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from campaignctl.queue.message import Message, Queue
from campaignctl.queue.policy import RetryPolicy

log = logging.getLogger(__name__)

Handler = Callable[[Message], None]


class DeliveryFailed(Exception):
    """The receiver did not take the message; ``retry_after`` when it said when to retry."""

    def __init__(self, reason: str, *, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


@dataclass
class Tally:
    delivered: int = 0
    retried: int = 0
    dead: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def claimed(self) -> int:
        return self.delivered + self.retried + self.dead


class Worker:
    def __init__(
        self,
        queue: Queue,
        handlers: Mapping[str, Handler],
        policy: RetryPolicy | None = None,
        *,
        rng: random.Random | None = None,
    ) -> None:
        self.queue = queue
        self.handlers = dict(handlers)
        self.policy = policy or RetryPolicy()
        self.rng = rng or random.Random()  # noqa: S311 - jitter, not a secret

    def run_once(self) -> Tally:
        """Claim one batch and settle every message in it."""
        tally = Tally()
        for message in self.queue.claim(self.policy.batch, self.policy.lease_seconds):
            self.deliver(message, tally)
        return tally

    def drain(self, rounds: int = 1000) -> Tally:
        """Run batches until none is due (or ``rounds`` ran); the sum of their tallies."""
        total = Tally()
        for _ in range(rounds):
            tally = self.run_once()
            if tally.claimed == 0:
                break
            total.delivered += tally.delivered
            total.retried += tally.retried
            total.dead += tally.dead
            total.errors += tally.errors
        return total

    def run(self, stop: threading.Event, idle_seconds: float = 0.5) -> None:
        """Deliver until ``stop`` is set, sleeping ``idle_seconds`` when nothing is due."""
        while not stop.is_set():
            try:
                tally = self.run_once()
            except Exception:  # a database hiccup must not end the worker
                log.exception("delivery worker: claiming failed")
                tally = Tally()
            if tally.claimed == 0:
                stop.wait(idle_seconds)

    def deliver(self, message: Message, tally: Tally) -> None:
        """Hand one claimed message to its topic's handler and settle it; counts in ``tally``."""
        handler = self.handlers.get(message.topic)
        retry_after: float | None = None
        try:
            if handler is None:
                raise DeliveryFailed(f"no handler for topic {message.topic!r}")
            handler(message)
        except DeliveryFailed as exc:
            error, retry_after = exc.reason, exc.retry_after
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"
            log.exception("delivery of %s (%s) raised", message.key, message.topic)
        else:
            self.queue.ack(message)
            tally.delivered += 1
            return
        self.fail(message, error, tally, retry_after=retry_after)

    def fail(
        self, message: Message, error: str, tally: Tally, *, retry_after: float | None = None
    ) -> None:
        """Settle a failed delivery: retry after a jittered backoff, or bury the last attempt."""
        tally.errors.append(f"{message.key}: {error}")
        if message.attempt >= self.policy.max_attempts:
            self.queue.bury(message, f"attempt {message.attempt}: {error}")
            tally.dead += 1
            log.warning("dead letter %s after %d attempts: %s", message.key, message.attempt, error)
            return
        delay = self.policy.delay(message.attempt, self.rng)
        if retry_after is not None:
            # The receiver's own date wins; a little jitter keeps a burst from re-forming.
            delay = retry_after + self.rng.uniform(0, min(1.0, retry_after / 10 + 0.1))
        self.queue.retry_later(message, f"attempt {message.attempt}: {error}", delay)
        tally.retried += 1
