"""Rounds and winners in the state database: the narrow interface the draw service uses."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, insert, select, update

from campaignctl.draws.errors import RoundAlreadyDrawn
from campaignctl.draws.tables import draw_rounds, winners


@dataclass(frozen=True)
class RoundRow:
    id: str
    state: str
    commitment: str
    committed_at: datetime
    seed_sealed: bytes
    entries_sha256: str | None
    entries_count: int | None
    seed: str | None
    drawn_at: datetime | None
    protocol: str | None


def utc(value: datetime) -> datetime:
    """A database datetime as aware UTC (SQLite and MariaDB hand back naive UTC values)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def get_round(conn: Connection, round_id: str) -> RoundRow | None:
    row = conn.execute(select(draw_rounds).where(draw_rounds.c.id == round_id)).first()
    if row is None:
        return None
    m = row._mapping
    return RoundRow(
        id=str(m["id"]),
        state=str(m["state"]),
        commitment=str(m["commitment"]),
        committed_at=utc(m["committed_at"]),
        seed_sealed=bytes(m["seed_sealed"]),
        entries_sha256=m["entries_sha256"],
        entries_count=m["entries_count"],
        seed=m["seed"],
        drawn_at=utc(m["drawn_at"]) if m["drawn_at"] is not None else None,
        protocol=m["protocol"],
    )


def all_rounds(conn: Connection) -> list[RoundRow]:
    ids = conn.execute(select(draw_rounds.c.id).order_by(draw_rounds.c.committed_at)).scalars()
    return [row for row in (get_round(conn, str(i)) for i in list(ids)) if row is not None]


def add_commitment(
    conn: Connection, round_id: str, commitment: str, seed_sealed: bytes, now: datetime
) -> None:
    conn.execute(
        insert(draw_rounds).values(
            id=round_id,
            state="committed",
            commitment=commitment,
            seed_sealed=seed_sealed,
            committed_at=now.astimezone(UTC),
        )
    )


def mark_drawn(
    conn: Connection,
    round_id: str,
    *,
    entries_sha256: str,
    entries_count: int,
    seed: str,
    protocol: str,
    now: datetime,
) -> None:
    """Move the round to ``drawn``; :class:`RoundAlreadyDrawn` if another draw got there first."""
    done = conn.execute(
        update(draw_rounds)
        .where(draw_rounds.c.id == round_id, draw_rounds.c.state == "committed")
        .values(
            state="drawn",
            entries_sha256=entries_sha256,
            entries_count=entries_count,
            seed=seed,
            drawn_at=now.astimezone(UTC),
            protocol=protocol,
        )
    )
    if done.rowcount != 1:
        raise RoundAlreadyDrawn(f"round {round_id} was drawn by another process meanwhile")


@dataclass(frozen=True)
class WinnerRow:
    round_id: str
    prize_id: str
    kind: str
    rank: int
    registration_id: str
    participant_id: int
    person: str
    phone_masked: str
    value_kopecks: int
    claim_state: str


def add_winners(conn: Connection, rows: Sequence[WinnerRow], now: datetime) -> None:
    if not rows:
        return
    at = now.astimezone(UTC)
    conn.execute(
        insert(winners),
        [{**row.__dict__, "drawn_at": at, "updated_at": at} for row in rows],
    )
