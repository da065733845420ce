"""Loyalty selection: imported purchases, members' sealed phones, vouchers' hand-over details.

Revision ID: 0006_loyalty
Revises: 0005_draws
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.mysql import VARBINARY

revision = "0006_loyalty"
down_revision = "0005_draws"
branch_labels = None
depends_on = None

Digest = sa.LargeBinary(32).with_variant(VARBINARY(32), "mysql", "mariadb")
Sealed = sa.LargeBinary(1024).with_variant(VARBINARY(1024), "mysql", "mariadb")


def upgrade() -> None:
    op.add_column("loyalty_members", sa.Column("phone_hash", Digest, nullable=True))
    op.add_column("loyalty_members", sa.Column("phone_sealed", Sealed, nullable=True))
    op.add_column(
        "loyalty_members", sa.Column("qualified_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.create_index("ix_loyalty_members_phone", "loyalty_members", ["phone_hash"])
    op.create_table(
        "loyalty_purchases",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("member_id", sa.Integer, sa.ForeignKey("loyalty_members.id"), nullable=False),
        sa.Column("row_hash", Digest, nullable=False, unique=True),
        sa.Column("line", sa.BigInteger, nullable=False),
        sa.Column("purchased_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("amount_kopecks", sa.BigInteger, nullable=False),
        sa.Column("store", sa.String(64), nullable=True),
    )
    op.create_index(
        "ix_loyalty_purchases_member", "loyalty_purchases", ["member_id", "purchased_at"]
    )
    op.add_column("loyalty_vouchers", sa.Column("store", sa.String(64), nullable=True))
    op.add_column(
        "loyalty_vouchers",
        sa.Column("delivery_requested_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.add_column("loyalty_vouchers", sa.Column("delivery_sealed", Sealed, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("loyalty_vouchers") as batch:
        batch.drop_column("delivery_sealed")
        batch.drop_column("delivery_requested_at")
        batch.drop_column("store")
    op.drop_index("ix_loyalty_purchases_member", "loyalty_purchases")
    op.drop_table("loyalty_purchases")
    op.drop_index("ix_loyalty_members_phone", "loyalty_members")
    with op.batch_alter_table("loyalty_members") as batch:
        batch.drop_column("qualified_at")
        batch.drop_column("phone_sealed")
        batch.drop_column("phone_hash")
