"""The transactional outbox: messages live in the campaign database.

A registration and the messages it causes commit in one transaction
(:func:`enqueue` takes the caller's connection), so a message exists exactly
when its registration does. Workers claim due rows with ``SELECT ... FOR UPDATE
SKIP LOCKED`` on PostgreSQL and MariaDB; on SQLite the engine opens every
transaction with ``BEGIN IMMEDIATE``, so claims are serialised by the database
lock instead. A claim is a lease: a worker that dies holding messages leaves
them ``in_flight`` until ``next_attempt_ms`` passes, then any worker claims them
again.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, Executable, bindparam, delete, func, select, update
from sqlalchemy.dialects import sqlite
from sqlalchemy.exc import IntegrityError

from campaignctl import jsontext
from campaignctl.queue.message import (
    STATES,
    Message,
    MessageInfo,
    Payload,
    State,
    check_key,
    clip,
)
from campaignctl.queue.tables import outbox
from campaignctl.runtime.sqlite_path import REQUIRED, Prepared, driver_cursor, is_sqlite
from campaignctl.store.upsert import has_returning_upsert, upsert

Clock = Callable[[], float]
"""Unix time in seconds."""


def _ms(seconds: float) -> int:
    return int(seconds * 1000)


def _when(ms: int | None) -> datetime | None:
    return None if ms is None else datetime.fromtimestamp(ms / 1000, UTC)


def enqueue(
    conn: Connection, topic: str, key: str, payload: Payload, *, now: float | None = None
) -> bool:
    """Add a message in the caller's transaction; False if ``key`` is already queued.

    A duplicate key is not an error: a retried request that enqueues the same
    message again must not fail the registration it belongs to.
    """
    return insert_message(conn, message_row(topic, key, payload, now=now))


def message_row(
    topic: str, key: str, payload: Payload, *, now: float | None = None
) -> dict[str, object]:
    """The outbox row of a new message, built (and its payload encoded) without the database,
    e.g. before a registration's transaction; :func:`insert_message` writes it."""
    check_key(key)
    at = time.time() if now is None else now
    stamp = datetime.fromtimestamp(at, UTC)
    return {
        "topic": topic,
        "idempotency_key": key,
        "payload": jsontext.sorted_text(payload),
        "state": "pending",
        "attempts": 0,
        "next_attempt_ms": _ms(at),
        "created_at": stamp,
        "updated_at": stamp,
    }


def insert_message(conn: Connection, row: dict[str, object]) -> bool:
    """:func:`enqueue` of a row from :func:`message_row`."""
    key = row["idempotency_key"]
    if is_sqlite(conn):
        # The same statement rendered once, on the driver's cursor (see sqlite_path).
        return _SQLITE_INSERT_OR_SKIP.run(driver_cursor(conn), row).rowcount == 1
    if has_returning_upsert(conn):
        # One round trip on the registration hot path: the database skips a
        # duplicate key itself (no read first, no savepoint).
        return conn.execute(_insert_or_skip(conn), row).first() is not None
    if conn.execute(_BY_KEY, {"key": key}).first() is not None:
        return False
    try:
        # A savepoint, so a concurrent insert of the same key (unique violation)
        # leaves the caller's transaction usable.
        with conn.begin_nested():
            conn.execute(_INSERT, row)
    except IntegrityError:
        return False
    return True


_ENQUEUED = (
    "topic",
    "idempotency_key",
    "payload",
    "state",
    "attempts",
    "next_attempt_ms",
    "created_at",
    "updated_at",
)
_BY_KEY = select(outbox.c.id).where(outbox.c.idempotency_key == bindparam("key"))
_INSERT = outbox.insert()
_INSERT_OR_SKIP: dict[str, Executable] = {}


def _insert_or_skip(conn: Connection) -> Executable:
    found = _INSERT_OR_SKIP.get(conn.dialect.name)
    if found is None:
        found = _INSERT_OR_SKIP[conn.dialect.name] = (
            upsert(conn, outbox)
            .on_conflict_do_nothing(index_elements=[outbox.c.idempotency_key])
            .returning(outbox.c.id)
        )
    return found


# Without RETURNING: SQLite collects returned rows in a temporary table (one per
# statement), and the driver's row count already says whether the row went in.
_SQLITE_INSERT_OR_SKIP = Prepared(
    sqlite.insert(outbox)
    .values(dict.fromkeys(_ENQUEUED, REQUIRED))
    .on_conflict_do_nothing(index_elements=[outbox.c.idempotency_key])
)


class OutboxQueue:
    """The :class:`~campaignctl.queue.message.Queue` over the ``outbox`` table."""

    def __init__(self, engine: Engine, *, clock: Clock = time.time) -> None:
        self.engine = engine
        self.clock = clock
        self._skip_locked = engine.dialect.name != "sqlite"

    def enqueue(self, topic: str, key: str, payload: Payload) -> None:
        with self.engine.begin() as conn:
            enqueue(conn, topic, key, payload, now=self.clock())

    def claim(self, limit: int, lease_seconds: float) -> list[Message]:
        now = self.clock()
        token = str(uuid.uuid4())
        c = outbox.c
        due = (
            select(c.id)
            .where(c.state.in_(("pending", "in_flight")), c.next_attempt_ms <= _ms(now))
            .order_by(c.next_attempt_ms, c.id)
            .limit(limit)
        )
        if self._skip_locked:
            due = due.with_for_update(skip_locked=True)
        with self.engine.begin() as conn:
            ids = list(conn.execute(due).scalars())
            if not ids:
                return []
            conn.execute(
                update(outbox)
                .where(c.id.in_(ids))
                .values(
                    state="in_flight",
                    attempts=c.attempts + 1,
                    next_attempt_ms=_ms(now + lease_seconds),
                    claim_token=token,
                    updated_at=datetime.fromtimestamp(now, UTC),
                )
            )
            rows = conn.execute(
                select(c.id, c.topic, c.idempotency_key, c.payload, c.attempts)
                .where(c.id.in_(ids))
                .order_by(c.next_attempt_ms, c.id)
            ).all()
        return [
            Message(
                id=str(row.id),
                topic=row.topic,
                key=row.idempotency_key,
                payload=json.loads(row.payload),
                attempt=row.attempts,
                receipt=token,
            )
            for row in rows
        ]

    def ack(self, message: Message) -> None:
        # Any claim may ack: the message reached the receiver, whoever holds the lease now.
        now = datetime.fromtimestamp(self.clock(), UTC)
        with self.engine.begin() as conn:
            conn.execute(
                update(outbox)
                .where(outbox.c.id == int(message.id), outbox.c.state == "in_flight")
                .values(state="delivered", delivered_at=now, updated_at=now, claim_token=None)
            )

    def _settle(self, message: Message, **values: object) -> None:
        c = outbox.c
        with self.engine.begin() as conn:
            conn.execute(
                update(outbox)
                .where(c.id == int(message.id), c.claim_token == message.receipt)
                .values(
                    claim_token=None,
                    updated_at=datetime.fromtimestamp(self.clock(), UTC),
                    **values,
                )
            )

    def retry_later(self, message: Message, error: str, delay_seconds: float) -> None:
        self._settle(
            message,
            state="pending",
            next_attempt_ms=_ms(self.clock() + delay_seconds),
            last_error=clip(error),
        )

    def bury(self, message: Message, error: str) -> None:
        self._settle(message, state="dead", last_error=clip(error))

    def messages(self, state: State | None = None, limit: int = 100) -> list[MessageInfo]:
        c = outbox.c
        query = select(outbox).order_by(c.id).limit(limit)
        if state is not None:
            query = query.where(c.state == state)
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return [
            MessageInfo(
                id=str(row.id),
                topic=row.topic,
                key=row.idempotency_key,
                state=row.state,
                attempts=row.attempts,
                last_error=row.last_error,
                created_at=row.created_at,
                next_attempt_at=_when(row.next_attempt_ms)
                if row.state in ("pending", "in_flight")
                else None,
            )
            for row in rows
        ]

    def retry_dead(self, ids: Sequence[str] = ()) -> int:
        c = outbox.c
        query = update(outbox).where(c.state == "dead")
        if ids:
            query = query.where(c.id.in_([int(i) for i in ids]))
        now = self.clock()
        with self.engine.begin() as conn:
            result = conn.execute(
                query.values(
                    state="pending",
                    attempts=0,
                    next_attempt_ms=_ms(now),
                    updated_at=datetime.fromtimestamp(now, UTC),
                )
            )
        return result.rowcount

    def purge_dead(self) -> int:
        with self.engine.begin() as conn:
            return conn.execute(delete(outbox).where(outbox.c.state == "dead")).rowcount

    def depth(self) -> dict[State, int]:
        counts: dict[State, int] = dict.fromkeys(STATES, 0)
        with self.engine.connect() as conn:
            for state, n in conn.execute(
                select(outbox.c.state, func.count()).group_by(outbox.c.state)
            ):
                counts[state] = n
        return counts
