"""Codes: the key version each batch was made with (key rotation).

Revision ID: 0002_key_version
Revises: 0001_codes
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_key_version"
down_revision = "0001_codes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("code_batches") as batch:
        batch.add_column(
            sa.Column("key_version", sa.Integer, nullable=False, server_default=sa.text("1"))
        )


def downgrade() -> None:
    with op.batch_alter_table("code_batches") as batch:
        batch.drop_column("key_version")
