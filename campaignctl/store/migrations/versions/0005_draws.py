"""Draws: rounds with their seed commitments, winners with claim states and sealed tax data.

Revision ID: 0005_draws
Revises: 0004_outbox
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.mysql import VARBINARY

revision = "0005_draws"
down_revision = "0004_outbox"
branch_labels = None
depends_on = None

Sealed = sa.LargeBinary(1024).with_variant(VARBINARY(1024), "mysql", "mariadb")


def upgrade() -> None:
    op.create_table(
        "draw_rounds",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("commitment", sa.String(64), nullable=False),
        sa.Column("seed_sealed", Sealed, nullable=False),
        sa.Column("committed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("entries_sha256", sa.String(64), nullable=True),
        sa.Column("entries_count", sa.Integer, nullable=True),
        sa.Column("seed", sa.String(64), nullable=True),
        sa.Column("drawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("protocol", sa.String(300), nullable=True),
    )
    op.create_table(
        "winners",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("round_id", sa.String(64), sa.ForeignKey("draw_rounds.id"), nullable=False),
        sa.Column("prize_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("rank", sa.Integer, nullable=False),
        sa.Column("registration_id", sa.String(36), nullable=False),
        sa.Column("participant_id", sa.Integer, nullable=False),
        sa.Column("person", sa.String(64), nullable=False),
        sa.Column("phone_masked", sa.String(32), nullable=False),
        sa.Column("value_kopecks", sa.BigInteger, nullable=False),
        sa.Column("claim_state", sa.String(24), nullable=False),
        sa.Column("replaces_id", sa.Integer, nullable=True),
        sa.Column("tax_sealed", Sealed, nullable=True),
        sa.Column("drawn_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("round_id", "prize_id", "kind", "rank", name="uq_winners_place"),
    )
    op.create_index("ix_winners_participant", "winners", ["participant_id"])


def downgrade() -> None:
    op.drop_index("ix_winners_participant", table_name="winners")
    op.drop_table("winners")
    op.drop_table("draw_rounds")
