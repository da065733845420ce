"""The transactional outbox table; the migration ``0004_outbox`` must match it."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, DateTime, Index, Integer, String, Table, Text

from campaignctl.store.tables import metadata

# next_attempt_ms: when a pending message is due, or when the lease of an in-flight
# one runs out (a worker that died holding it). Unix milliseconds: integers compare the
# same way on SQLite, PostgreSQL and MariaDB, whatever each does with time zones.
outbox = Table(
    "outbox",
    metadata,
    Column(
        "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("topic", String(64), nullable=False),
    Column("idempotency_key", String(200), nullable=False, unique=True),
    Column("payload", Text, nullable=False),
    Column("state", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_ms", BigInteger, nullable=False),
    Column("claim_token", String(36), nullable=True),
    Column("last_error", Text, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("delivered_at", DateTime(timezone=True), nullable=True),
    Index("ix_outbox_due", "state", "next_attempt_ms"),
)
