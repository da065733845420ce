"""Runtime tables: participants, registrations, prize stock, receipts, loyalty, anti-fraud.

Migration ``0003_runtime`` creates them; keep the two in step. Personal data is
stored encrypted (AES-GCM under a key derived from the campaign key, which never
enters the database) and looked up by a keyed hash, so a leaked database file
gives away neither phone numbers nor a way to test a guessed number.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
)
from sqlalchemy.dialects.mysql import VARBINARY

from campaignctl.store.tables import Digest, metadata

# nonce (12 bytes) + ciphertext + tag (16 bytes).
Sealed = LargeBinary(1024).with_variant(VARBINARY(1024), "mysql", "mariadb")

MODERATION_STATES = ("none", "pending", "approved", "rejected")

participants = Table(
    "participants",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("phone_hash", Digest, nullable=False, unique=True),
    Column("phone_sealed", Sealed, nullable=False),
    Column("details_sealed", Sealed, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# A code serial or a receipt key (fn:i:fp) appears at most once: the unique
# constraints are what make a registration happen exactly once.
registrations = Table(
    "registrations",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("participant_id", Integer, ForeignKey("participants.id"), nullable=False),
    Column("channel", String(16), nullable=False),
    Column("mechanic", String(16), nullable=False),
    Column("code_serial", BigInteger, nullable=True, unique=True),
    Column("code_batch", String(100), nullable=True),
    Column("receipt_key", String(200), nullable=True, unique=True),
    Column("outcome", String(24), nullable=False),
    Column("prize_id", String(64), nullable=True),
    Column("draw_entries", Integer, nullable=False),
    Column("points", Integer, nullable=False),
    Column("tier", String(64), nullable=True),
    Column("ip", String(45), nullable=True),
    Column("device", String(128), nullable=True),
    Column("moderation", String(16), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_registrations_participant", "participant_id"),
    Index("ix_registrations_created", "created_at"),
)

prize_stock = Table(
    "prize_stock",
    metadata,
    Column("prize_id", String(64), primary_key=True),
    Column("total", Integer, nullable=False),
    Column("remaining", Integer, nullable=False),
)

receipts = Table(
    "receipts",
    metadata,
    Column("registration_id", String(36), ForeignKey("registrations.id"), primary_key=True),
    Column("qr", String(300), nullable=True),
    Column("total_kopecks", BigInteger, nullable=True),
    Column("purchased_at", DateTime(timezone=True), nullable=True),
    Column("photo_path", String(300), nullable=True),
    Column("moderation", String(16), nullable=False),
    Column("note", String(300), nullable=True),
)

loyalty_members = Table(
    "loyalty_members",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("member_hash", Digest, nullable=False, unique=True),
    Column("member_sealed", Sealed, nullable=False),
    Column("participant_id", Integer, ForeignKey("participants.id"), nullable=True),
    Column("purchases", Integer, nullable=False),
    Column("total_kopecks", BigInteger, nullable=False),
    Column("imported_at", DateTime(timezone=True), nullable=False),
    Column("selected_at", DateTime(timezone=True), nullable=True),
    # 0006_loyalty: the member's phone (sealed, keyed hash for the delivery form)
    # and when the member met the criteria (the Nth qualifying purchase).
    Column("phone_hash", Digest, nullable=True),
    Column("phone_sealed", Sealed, nullable=True),
    Column("qualified_at", DateTime(timezone=True), nullable=True),
    Index("ix_loyalty_members_phone", "phone_hash"),
)

# 0006_loyalty: one row per purchase line of the client's export; ``row_hash``
# (keyed) makes re-importing an export, or a line repeated in it, a no-op.
loyalty_purchases = Table(
    "loyalty_purchases",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("member_id", Integer, ForeignKey("loyalty_members.id"), nullable=False),
    Column("row_hash", Digest, nullable=False, unique=True),
    Column("line", BigInteger, nullable=False),
    Column("purchased_at", DateTime(timezone=True), nullable=False),
    Column("amount_kopecks", BigInteger, nullable=False),
    Column("store", String(64), nullable=True),
    Index("ix_loyalty_purchases_member", "member_id", "purchased_at"),
)

loyalty_vouchers = Table(
    "loyalty_vouchers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("member_id", Integer, ForeignKey("loyalty_members.id"), nullable=False, unique=True),
    Column("voucher", String(32), nullable=False, unique=True),
    Column("prize_id", String(64), nullable=False),
    Column("issued_at", DateTime(timezone=True), nullable=False),
    Column("valid_until", DateTime(timezone=True), nullable=False),
    Column("handed_over_at", DateTime(timezone=True), nullable=True),
    Column("handover", String(16), nullable=True),
    # 0006_loyalty: where it was handed over; a delivery asked for on the site.
    Column("store", String(64), nullable=True),
    Column("delivery_requested_at", DateTime(timezone=True), nullable=True),
    Column("delivery_sealed", Sealed, nullable=True),
)

# Sliding counters per subject and window: "phone:<hash>", "ip:<addr>", "device:<fp>".
fraud_counters = Table(
    "fraud_counters",
    metadata,
    Column("subject", String(160), primary_key=True),
    Column("period_key", String(40), primary_key=True),
    Column("count", Integer, nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)

fraud_lockouts = Table(
    "fraud_lockouts",
    metadata,
    Column("subject", String(160), primary_key=True),
    Column("locked_until", DateTime(timezone=True), nullable=False),
    Column("reason", String(64), nullable=False),
)

fraud_flags = Table(
    "fraud_flags",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(32), nullable=False),
    Column("subject", String(160), nullable=False),
    Column("detail", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("resolved_at", DateTime(timezone=True), nullable=True),
    Index("ix_fraud_flags_subject", "subject"),
)

login_codes = Table(
    "login_codes",
    metadata,
    Column("phone_hash", Digest, primary_key=True),
    Column("code_hash", Digest, nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("attempts", Integer, nullable=False),
)

# Messages the runtime wants sent (login codes) until the delivery outbox exists;
# the phone is sealed like every other personal datum.
runtime_messages = Table(
    "runtime_messages",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(32), nullable=False),
    Column("phone_sealed", Sealed, nullable=False),
    Column("text_sealed", Sealed, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)
