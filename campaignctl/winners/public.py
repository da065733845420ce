"""What the site may show: winners with masked phones, and the draws' commitments.

The runtime's ``GET /api/v1/winners`` reads :func:`public_winners`; the draws'
``GET /api/v1/draws`` (see :mod:`campaignctl.draws.api`) reads :func:`public_rounds`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from campaignctl.draws.book import all_rounds
from campaignctl.draws.tables import winners
from campaignctl.model import Campaign


def public_winners(conn: Connection, campaign: Campaign) -> list[dict[str, Any]]:
    """Winners whose prize stands (reserves and refusals left out), newest round first."""
    names = {d.id: d.name or d.id for d in campaign.draws}
    query = (
        select(winners.c.round_id, winners.c.prize_id, winners.c.phone_masked, winners.c.drawn_at)
        .where(winners.c.claim_state.notin_(("reserve", "refused")))
        .order_by(winners.c.drawn_at.desc(), winners.c.round_id, winners.c.id)
    )
    out = []
    for r in conn.execute(query):
        prize = campaign.prize(r.prize_id)
        out.append(
            {
                "round": r.round_id,
                "round_name": names.get(r.round_id, r.round_id),
                "prize": r.prize_id,
                "prize_name": prize.name if prize else r.prize_id,
                "phone": r.phone_masked,
            }
        )
    return out


def public_rounds(conn: Connection, campaign: Campaign) -> list[dict[str, Any]]:
    """Every round of the spec with its commitment (once made) and revealed seed (once drawn)."""
    stored = {row.id: row for row in all_rounds(conn)}
    out = []
    for draw in campaign.draws:
        row = stored.get(draw.id)
        out.append(
            {
                "round": draw.id,
                "name": draw.name or draw.id,
                "at": draw.at.isoformat(),
                "state": row.state if row else "planned",
                "commitment": row.commitment if row else None,
                "committed_at": row.committed_at.isoformat() if row else None,
                "seed": row.seed if row else None,
                "entries_sha256": row.entries_sha256 if row else None,
                "entries_count": row.entries_count if row else None,
            }
        )
    return out
