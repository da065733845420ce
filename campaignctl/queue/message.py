"""What travels through a queue, and the one interface both backends implement."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

from campaignctl.crm.payload import JsonValue

State = Literal["pending", "in_flight", "delivered", "dead"]
STATES: tuple[State, ...] = ("pending", "in_flight", "delivered", "dead")

Payload = dict[str, JsonValue]

MAX_KEY_LENGTH = 200
MAX_ERROR_LENGTH = 2000


@dataclass(frozen=True)
class Message:
    """A claimed message: deliver it, then :meth:`Queue.ack` or :meth:`Queue.fail` it."""

    id: str
    topic: str
    key: str
    """Idempotency key: the receiver drops a second delivery with the same key."""
    payload: Payload
    attempt: int
    """1 for the first delivery, 2 for the first retry, ..."""
    receipt: str
    """Proof of this claim; an ack with a stale receipt (the lease ran out and another
    worker claimed the message) does not touch the new claim."""


@dataclass(frozen=True)
class MessageInfo:
    """A message as ``queue list`` shows it."""

    id: str
    topic: str
    key: str
    state: State
    attempts: int
    last_error: str | None
    created_at: datetime | None
    next_attempt_at: datetime | None


class Queue(Protocol):
    """Outgoing messages with at-least-once delivery; receivers dedupe by key."""

    def enqueue(self, topic: str, key: str, payload: Payload) -> None:
        """Add a message; a second message with the same ``key`` is dropped."""
        ...

    def claim(self, limit: int, lease_seconds: float) -> list[Message]:
        """Up to ``limit`` due messages, hidden from other workers for ``lease_seconds``."""
        ...

    def ack(self, message: Message) -> None:
        """The message was delivered."""
        ...

    def retry_later(self, message: Message, error: str, delay_seconds: float) -> None:
        """Delivery failed; make the message due again after ``delay_seconds``."""
        ...

    def bury(self, message: Message, error: str) -> None:
        """Delivery failed for the last time: move the message to the dead letters."""
        ...

    def messages(self, state: State | None = None, limit: int = 100) -> list[MessageInfo]:
        """Messages for inspection, oldest first (what a backend can show)."""
        ...

    def retry_dead(self, ids: Sequence[str] = ()) -> int:
        """Make dead messages (all, or those in ``ids``) pending again; how many."""
        ...

    def purge_dead(self) -> int:
        """Delete every dead message; how many."""
        ...

    def depth(self) -> dict[State, int]:
        """Messages per state (approximate on SQS)."""
        ...


def clip(text: str, limit: int = MAX_ERROR_LENGTH) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def check_key(key: str) -> str:
    if not key or len(key) > MAX_KEY_LENGTH:
        raise ValueError(f"idempotency key must have 1..{MAX_KEY_LENGTH} characters: {key!r}")
    return key
