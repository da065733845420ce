"""Delivery: the transactional outbox, SMS messages, CRM record ids.

Revision ID: 0004_outbox
Revises: 0003_runtime
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.mysql import VARBINARY

revision = "0004_outbox"
down_revision = "0003_runtime"
branch_labels = None
depends_on = None

Sealed = sa.LargeBinary(1024).with_variant(VARBINARY(1024), "mysql", "mariadb")


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer, "sqlite"),
            primary_key=True,
            autoincrement=True,
        ),
        sa.Column("topic", sa.String(64), nullable=False),
        sa.Column("idempotency_key", sa.String(200), nullable=False, unique=True),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_ms", sa.BigInteger, nullable=False),
        sa.Column("claim_token", sa.String(36), nullable=True),
        sa.Column("last_error", sa.Text, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_outbox_due", "outbox", ["state", "next_attempt_ms"])
    op.create_table(
        "sms_messages",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("direction", sa.String(3), nullable=False),
        sa.Column("gateway", sa.String(16), nullable=False),
        sa.Column("external_id", sa.String(100), nullable=True, unique=True),
        sa.Column("phone_sealed", Sealed, nullable=False),
        sa.Column("phone_masked", sa.String(32), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("encoding", sa.String(8), nullable=False),
        sa.Column("segments", sa.Integer, nullable=False),
        sa.Column("cost_kopecks", sa.Integer, nullable=False),
        sa.Column("outcome", sa.String(24), nullable=True),
        sa.Column("registration_id", sa.String(36), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_sms_messages_created", "sms_messages", ["created_at"])
    op.create_table(
        "crm_records",
        sa.Column("registration_id", sa.String(36), primary_key=True),
        sa.Column("target", sa.String(16), nullable=False),
        sa.Column("crm_id", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("crm_records")
    op.drop_index("ix_sms_messages_created", table_name="sms_messages")
    op.drop_table("sms_messages")
    op.drop_index("ix_outbox_due", table_name="outbox")
    op.drop_table("outbox")
