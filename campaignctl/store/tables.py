"""Table definitions. Migrations in ``migrations/versions`` must match them."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    text,
)
from sqlalchemy.dialects.mysql import VARBINARY

metadata = MetaData()

# MySQL/MariaDB cannot index a BLOB without a prefix length; a digest is VARBINARY(32).
Digest = LargeBinary(32).with_variant(VARBINARY(32), "mysql", "mariadb")

BATCH_STATES = ("generating", "generated", "sent_to_printer", "printed", "shipped", "voided")

code_batches = Table(
    "code_batches",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("scheme", String(16), nullable=False),
    Column("first_serial", BigInteger, nullable=False, unique=True),
    Column("count", BigInteger, nullable=False),
    Column("state", String(20), nullable=False),
    Column("key_version", Integer, nullable=False, server_default=text("1")),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# Serials [first_serial, last_serial] of a batch that must not count: misprints.
code_voids = Table(
    "code_voids",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("batch_id", Integer, ForeignKey("code_batches.id"), nullable=False),
    Column("first_serial", BigInteger, nullable=False),
    Column("last_serial", BigInteger, nullable=False),
    Column("reason", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_code_voids_batch", "batch_id"),
)

# The primary key is what makes a redemption happen exactly once.
code_redemptions = Table(
    "code_redemptions",
    metadata,
    Column("serial", BigInteger, primary_key=True, autoincrement=False),
    Column("batch_id", Integer, ForeignKey("code_batches.id"), nullable=False),
    Column("redeemed_at", DateTime(timezone=True), nullable=False),
    Column("channel", String(32), nullable=True),
    Index("ix_code_redemptions_batch", "batch_id"),
)

# Imported codes: a keyed hash (HMAC-SHA256 under a key derived from the campaign
# key) and the serial it was given; the plain code is never stored.
imported_codes = Table(
    "imported_codes",
    metadata,
    Column("digest", Digest, primary_key=True),
    Column("serial", BigInteger, nullable=False, unique=True),
    Column("batch_id", Integer, ForeignKey("code_batches.id"), nullable=False),
)
