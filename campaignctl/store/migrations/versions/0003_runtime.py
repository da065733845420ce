"""Runtime: participants, registrations, prize stock, receipts, loyalty, anti-fraud, logins.

Revision ID: 0003_runtime
Revises: 0002_key_version
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.mysql import VARBINARY

revision = "0003_runtime"
down_revision = "0002_key_version"
branch_labels = None
depends_on = None

Digest = sa.LargeBinary(32).with_variant(VARBINARY(32), "mysql", "mariadb")
Sealed = sa.LargeBinary(1024).with_variant(VARBINARY(1024), "mysql", "mariadb")


def upgrade() -> None:
    op.create_table(
        "participants",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("phone_hash", Digest, nullable=False, unique=True),
        sa.Column("phone_sealed", Sealed, nullable=False),
        sa.Column("details_sealed", Sealed, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "registrations",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("participant_id", sa.Integer, sa.ForeignKey("participants.id"), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("mechanic", sa.String(16), nullable=False),
        sa.Column("code_serial", sa.BigInteger, nullable=True, unique=True),
        sa.Column("code_batch", sa.String(100), nullable=True),
        sa.Column("receipt_key", sa.String(200), nullable=True, unique=True),
        sa.Column("outcome", sa.String(24), nullable=False),
        sa.Column("prize_id", sa.String(64), nullable=True),
        sa.Column("draw_entries", sa.Integer, nullable=False),
        sa.Column("points", sa.Integer, nullable=False),
        sa.Column("tier", sa.String(64), nullable=True),
        sa.Column("ip", sa.String(45), nullable=True),
        sa.Column("device", sa.String(128), nullable=True),
        sa.Column("moderation", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_registrations_participant", "registrations", ["participant_id"])
    op.create_index("ix_registrations_created", "registrations", ["created_at"])
    op.create_table(
        "prize_stock",
        sa.Column("prize_id", sa.String(64), primary_key=True),
        sa.Column("total", sa.Integer, nullable=False),
        sa.Column("remaining", sa.Integer, nullable=False),
    )
    op.create_table(
        "receipts",
        sa.Column(
            "registration_id", sa.String(36), sa.ForeignKey("registrations.id"), primary_key=True
        ),
        sa.Column("qr", sa.String(300), nullable=True),
        sa.Column("total_kopecks", sa.BigInteger, nullable=True),
        sa.Column("purchased_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("photo_path", sa.String(300), nullable=True),
        sa.Column("moderation", sa.String(16), nullable=False),
        sa.Column("note", sa.String(300), nullable=True),
    )
    op.create_table(
        "loyalty_members",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("member_hash", Digest, nullable=False, unique=True),
        sa.Column("member_sealed", Sealed, nullable=False),
        sa.Column("participant_id", sa.Integer, sa.ForeignKey("participants.id"), nullable=True),
        sa.Column("purchases", sa.Integer, nullable=False),
        sa.Column("total_kopecks", sa.BigInteger, nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("selected_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "loyalty_vouchers",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "member_id",
            sa.Integer,
            sa.ForeignKey("loyalty_members.id"),
            nullable=False,
            unique=True,
        ),
        sa.Column("voucher", sa.String(32), nullable=False, unique=True),
        sa.Column("prize_id", sa.String(64), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("valid_until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("handed_over_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("handover", sa.String(16), nullable=True),
    )
    op.create_table(
        "fraud_counters",
        sa.Column("subject", sa.String(160), primary_key=True),
        sa.Column("period_key", sa.String(40), primary_key=True),
        sa.Column("count", sa.Integer, nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "fraud_lockouts",
        sa.Column("subject", sa.String(160), primary_key=True),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.String(64), nullable=False),
    )
    op.create_table(
        "fraud_flags",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("subject", sa.String(160), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_fraud_flags_subject", "fraud_flags", ["subject"])
    op.create_table(
        "login_codes",
        sa.Column("phone_hash", Digest, primary_key=True),
        sa.Column("code_hash", Digest, nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
    )
    op.create_table(
        "runtime_messages",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("phone_sealed", Sealed, nullable=False),
        sa.Column("text_sealed", Sealed, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("runtime_messages")
    op.drop_table("login_codes")
    op.drop_table("fraud_flags")
    op.drop_table("fraud_lockouts")
    op.drop_table("fraud_counters")
    op.drop_table("loyalty_vouchers")
    op.drop_table("loyalty_members")
    op.drop_table("receipts")
    op.drop_table("prize_stock")
    op.drop_table("registrations")
    op.drop_table("participants")
