"""Delivery tables: SMS sent and received, CRM record ids; migration ``0004_outbox``."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Index, Integer, String, Table, Text

from campaignctl.store.runtime_tables import Sealed
from campaignctl.store.tables import metadata

# One row per SMS in or out. The phone is sealed like every personal datum; the
# masked form (+7 *** ***-45-67) is what the dashboard shows. ``external_id`` is
# the aggregator's message id: a webhook it retries is recognised and not
# registered twice.
sms_messages = Table(
    "sms_messages",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("direction", String(3), nullable=False),
    Column("gateway", String(16), nullable=False),
    Column("external_id", String(100), nullable=True, unique=True),
    Column("phone_sealed", Sealed, nullable=False),
    Column("phone_masked", String(32), nullable=False),
    Column("text", Text, nullable=False),
    Column("encoding", String(8), nullable=False),
    Column("segments", Integer, nullable=False),
    Column("cost_kopecks", Integer, nullable=False),
    Column("outcome", String(24), nullable=True),
    Column("registration_id", String(36), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_sms_messages_created", "created_at"),
)

# What the CRM called the record it made for a registration, so a winner update
# can change that record (Bitrix24 and amoCRM update by their own id).
crm_records = Table(
    "crm_records",
    metadata,
    Column("registration_id", String(36), primary_key=True),
    Column("target", String(16), nullable=False),
    Column("crm_id", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)
