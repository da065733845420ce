"""Draw tables: rounds with their commitments, winners with claim states and sealed tax data.

Migration ``0005_draws`` creates them; keep the two in step. The seed of a
committed round is sealed (AES-GCM, runtime key) until the draw reveals it.
Winners keep the participant id and a masked phone (what the winners page
shows); their tax data (passport, INN, address: only for prizes over
4,000 RUB, 152-FZ) is sealed like every other personal datum.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
)

from campaignctl.store.runtime_tables import Sealed
from campaignctl.store.tables import metadata

ROUND_STATES = ("committed", "drawn")
CLAIM_STATES = (
    "drawn",
    "notified",
    "documents_received",
    "delivered",
    "handed_over",
    "refused",
    "reserve",
)
"""``drawn`` until the winner is told; ``reserve`` for a reserve not (yet) promoted."""

draw_rounds = Table(
    "draw_rounds",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("state", String(16), nullable=False),
    Column("commitment", String(64), nullable=False),
    Column("seed_sealed", Sealed, nullable=False),
    Column("committed_at", DateTime(timezone=True), nullable=False),
    Column("entries_sha256", String(64), nullable=True),
    Column("entries_count", Integer, nullable=True),
    Column("seed", String(64), nullable=True),  # revealed (hex) when drawn
    Column("drawn_at", DateTime(timezone=True), nullable=True),
    Column("protocol", String(300), nullable=True),
)

winners = Table(
    "winners",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("round_id", String(64), ForeignKey("draw_rounds.id"), nullable=False),
    Column("prize_id", String(64), nullable=False),
    Column("kind", String(8), nullable=False),
    Column("rank", Integer, nullable=False),
    Column("registration_id", String(36), nullable=False),
    Column("participant_id", Integer, nullable=False),
    Column("person", String(64), nullable=False),
    Column("phone_masked", String(32), nullable=False),
    Column("value_kopecks", BigInteger, nullable=False),
    Column("claim_state", String(24), nullable=False),
    Column("replaces_id", Integer, nullable=True),
    Column("tax_sealed", Sealed, nullable=True),
    Column("drawn_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("round_id", "prize_id", "kind", "rank", name="uq_winners_place"),
    Index("ix_winners_participant", "participant_id"),
)
