"""Prize stock: one row per prize, claimed with a conditional UPDATE so it never goes negative.

``UPDATE prize_stock SET remaining = remaining - 1 WHERE prize_id = ? AND
remaining > 0`` is atomic on every engine: of many concurrent claims on the last
unit, exactly one sees a changed row.
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, bindparam, insert, select, update

from campaignctl.model.campaign import Campaign
from campaignctl.store.runtime_tables import prize_stock


def sync_stock(engine: Engine, campaign: Campaign) -> None:
    """Create a stock row per prize; a changed quantity moves ``remaining`` by the difference."""
    with engine.begin() as conn:
        rows = {r.prize_id: r for r in conn.execute(select(prize_stock))}
        for prize in campaign.prizes:
            row = rows.get(prize.id)
            if row is None:
                conn.execute(
                    insert(prize_stock).values(
                        prize_id=prize.id, total=prize.quantity, remaining=prize.quantity
                    )
                )
            elif row.total != prize.quantity:
                remaining = max(0, row.remaining + prize.quantity - row.total)
                conn.execute(
                    update(prize_stock)
                    .where(prize_stock.c.prize_id == prize.id)
                    .values(total=prize.quantity, remaining=remaining)
                )


CLAIM = (
    update(prize_stock)
    .where(prize_stock.c.prize_id == bindparam("prize"), prize_stock.c.remaining > 0)
    .values(remaining=prize_stock.c.remaining - 1)
)


def claim(conn: Connection, prize_id: str) -> bool:
    """Take one unit of ``prize_id`` inside the caller's transaction; False when none is left."""
    return conn.execute(CLAIM, {"prize": prize_id}).rowcount == 1


def remaining(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {r.prize_id: int(r.remaining) for r in conn.execute(select(prize_stock))}
