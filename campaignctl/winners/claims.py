"""Claim states of winners, and the reserve who steps in when a winner refuses.

drawn -> notified -> documents_received -> delivered | handed_over; any open
state -> refused. When a winner refuses (or misses the claim deadline), the
next reserve of the same round and prize becomes a winner in state ``drawn``
and records whom it replaces.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, select, update

from campaignctl.draws.book import utc
from campaignctl.draws.tables import CLAIM_STATES, winners
from campaignctl.errors import UserError

OPEN_STATES = ("drawn", "notified", "documents_received")
FINAL_STATES = ("delivered", "handed_over", "refused")
_NEXT: dict[str, tuple[str, ...]] = {
    "drawn": ("notified", "refused"),
    "notified": ("documents_received", "delivered", "handed_over", "refused"),
    "documents_received": ("delivered", "handed_over", "refused"),
}


class ClaimError(UserError):
    """A claim state change that is not allowed."""


@dataclass(frozen=True)
class Winner:
    id: int
    round_id: str
    prize_id: str
    kind: str
    rank: int
    registration_id: str
    participant_id: int
    phone_masked: str
    value_kopecks: int
    claim_state: str
    replaces_id: int | None
    has_tax_data: bool
    drawn_at: datetime
    updated_at: datetime


def _winner(row: object) -> Winner:
    m = row._mapping  # type: ignore[attr-defined]
    return Winner(
        id=int(m["id"]),
        round_id=str(m["round_id"]),
        prize_id=str(m["prize_id"]),
        kind=str(m["kind"]),
        rank=int(m["rank"]),
        registration_id=str(m["registration_id"]),
        participant_id=int(m["participant_id"]),
        phone_masked=str(m["phone_masked"]),
        value_kopecks=int(m["value_kopecks"]),
        claim_state=str(m["claim_state"]),
        replaces_id=m["replaces_id"],
        has_tax_data=m["tax_sealed"] is not None,
        drawn_at=utc(m["drawn_at"]),
        updated_at=utc(m["updated_at"]),
    )


def list_winners(
    conn: Connection, *, round_id: str | None = None, include_reserves: bool = True
) -> list[Winner]:
    query = select(winners).order_by(winners.c.drawn_at, winners.c.id)
    if round_id is not None:
        query = query.where(winners.c.round_id == round_id)
    if not include_reserves:
        query = query.where(winners.c.claim_state != "reserve")
    return [_winner(r) for r in conn.execute(query)]


def get_winner(conn: Connection, winner_id: int) -> Winner:
    row = conn.execute(select(winners).where(winners.c.id == winner_id)).first()
    if row is None:
        raise ClaimError(f"no winner with id {winner_id}", hint="see 'campaignctl winners list'")
    return _winner(row)


@dataclass(frozen=True)
class Change:
    winner: Winner
    promoted: Winner | None
    """The reserve who became a winner because this one refused."""


def set_state(engine: Engine, winner_id: int, state: str, *, now: datetime | None = None) -> Change:
    """Move a winner to ``state``; refusing promotes the next reserve of the same prize."""
    if state not in CLAIM_STATES or state in ("reserve", "drawn"):
        allowed = ", ".join(s for s in CLAIM_STATES if s not in ("reserve", "drawn"))
        raise ClaimError(f"unknown claim state {state!r}", hint=f"one of: {allowed}")
    at = (now or datetime.now(UTC)).astimezone(UTC)
    with engine.begin() as conn:
        current = get_winner(conn, winner_id)
        if state not in _NEXT.get(current.claim_state, ()):
            raise ClaimError(
                f"winner {winner_id} is {current.claim_state}; it cannot become {state}",
                hint="states: drawn -> notified -> documents_received -> delivered or "
                "handed_over; refused from any open state",
            )
        conn.execute(
            update(winners)
            .where(winners.c.id == winner_id)
            .values(claim_state=state, updated_at=at)
        )
        promoted = _promote(conn, current, at) if state == "refused" else None
        return Change(get_winner(conn, winner_id), promoted)


def _promote(conn: Connection, refused: Winner, at: datetime) -> Winner | None:
    reserve = conn.execute(
        select(winners.c.id)
        .where(
            winners.c.round_id == refused.round_id,
            winners.c.prize_id == refused.prize_id,
            winners.c.claim_state == "reserve",
        )
        .order_by(winners.c.rank)
        .limit(1)
    ).scalar()
    if reserve is None:
        return None
    conn.execute(
        update(winners)
        .where(winners.c.id == reserve)
        .values(claim_state="drawn", replaces_id=refused.id, updated_at=at)
    )
    return get_winner(conn, int(reserve))
