"""Alembic environment: runs on the connection :func:`campaignctl.store.upgrade` passes."""

from __future__ import annotations

from alembic import context

from campaignctl.store.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through campaignctl.store.upgrade(engine)")
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
