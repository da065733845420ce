"""Codes: batches, voided ranges, redemptions, imported code hashes.

Revision ID: 0001_codes
Revises:
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.mysql import VARBINARY

revision = "0001_codes"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "code_batches",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
        sa.Column("scheme", sa.String(16), nullable=False),
        sa.Column("first_serial", sa.BigInteger, nullable=False, unique=True),
        sa.Column("count", sa.BigInteger, nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "code_voids",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("batch_id", sa.Integer, sa.ForeignKey("code_batches.id"), nullable=False),
        sa.Column("first_serial", sa.BigInteger, nullable=False),
        sa.Column("last_serial", sa.BigInteger, nullable=False),
        sa.Column("reason", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_code_voids_batch", "code_voids", ["batch_id"])
    op.create_table(
        "code_redemptions",
        sa.Column("serial", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("batch_id", sa.Integer, sa.ForeignKey("code_batches.id"), nullable=False),
        sa.Column("redeemed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("channel", sa.String(32), nullable=True),
    )
    op.create_index("ix_code_redemptions_batch", "code_redemptions", ["batch_id"])
    op.create_table(
        "imported_codes",
        sa.Column(
            "digest",
            sa.LargeBinary(32).with_variant(VARBINARY(32), "mysql", "mariadb"),
            primary_key=True,
        ),
        sa.Column("serial", sa.BigInteger, nullable=False, unique=True),
        sa.Column("batch_id", sa.Integer, sa.ForeignKey("code_batches.id"), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("imported_codes")
    op.drop_index("ix_code_redemptions_batch", table_name="code_redemptions")
    op.drop_table("code_redemptions")
    op.drop_index("ix_code_voids_batch", table_name="code_voids")
    op.drop_table("code_voids")
    op.drop_table("code_batches")
