"""Select the members who meet the spec's ``criteria`` from the imported purchases.

A purchase counts when it falls in the criteria window (days in the campaign's
time zone) and is at least ``min_purchase_rub``; a return (negative amount) of at
least that much takes one counted purchase back. A member qualifies with at
least ``min_purchases`` counted purchases; ``qualified_at`` is the moment of the
Nth, which orders the gifts when the stock runs short ("the first to make the
eighth purchase"). Purchases stream from the database grouped by member, so
the memory used is one member's purchases. Running it again after another
import updates the counts; a member who has a voucher keeps it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from itertools import groupby

from sqlalchemy import bindparam, func, select, update

from campaignctl.loyalty.book import LoyaltyBook
from campaignctl.runtime.antifraud import utc
from campaignctl.store.runtime_tables import loyalty_members, loyalty_purchases, loyalty_vouchers

BATCH = 1000


@dataclass(frozen=True)
class Standing:
    member_id: int
    purchases: int
    total_kopecks: int
    qualified_at: datetime | None


@dataclass(frozen=True)
class SelectionReport:
    members: int
    qualified: int
    newly_selected: int
    dropped: int
    """Selected before, no longer qualifying (returns imported since), without a voucher yet."""


def standing(
    member_id: int,
    rows: Iterable[tuple[datetime, int]],
    min_purchases: int,
    min_kopecks: int,
) -> Standing:
    """A member's counted purchases, their total and the moment of the Nth, from (moment, amount) rows in time order."""
    counted: list[tuple[datetime, int]] = []
    returns = 0
    for moment, amount in rows:
        if amount > 0 and amount >= min_kopecks:
            counted.append((moment, amount))
        elif amount < 0 and -amount >= max(min_kopecks, 1):
            returns += 1
    net = max(0, len(counted) - returns)
    total = sum(a for _, a in counted)
    qualified = counted[min_purchases - 1][0] if net >= min_purchases else None
    return Standing(member_id, net, total, qualified)


def window_bounds(book: LoyaltyBook) -> tuple[datetime, datetime]:
    window = book.rules.criteria.window
    start = datetime.combine(window.start, time(0), tzinfo=book.zone)
    end = datetime.combine(window.end + timedelta(days=1), time(0), tzinfo=book.zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def select_members(book: LoyaltyBook) -> SelectionReport:
    criteria = book.rules.criteria
    min_kopecks = int((criteria.min_purchase_rub or 0) * 100)
    start, end = window_bounds(book)
    now = book.clock().astimezone(UTC)
    p = loyalty_purchases.c
    query = (
        select(p.member_id, p.purchased_at, p.amount_kopecks)
        .where(p.purchased_at >= start, p.purchased_at < end)
        .order_by(p.member_id, p.purchased_at, p.id)
    )
    standings: dict[int, Standing] = {}
    with book.engine.connect() as reader:
        result = reader.execution_options(stream_results=True, yield_per=5000).execute(query)
        for member_id, rows in groupby(result, key=lambda r: int(r.member_id)):
            s = standing(
                member_id,
                ((utc(r.purchased_at), int(r.amount_kopecks)) for r in rows),
                criteria.min_purchases,
                min_kopecks,
            )
            standings[member_id] = s
    return _store(book, standings, now)


def _store(book: LoyaltyBook, standings: dict[int, Standing], now: datetime) -> SelectionReport:
    m = loyalty_members.c
    with book.engine.begin() as conn:
        rows = conn.execute(
            select(m.id, m.selected_at, loyalty_vouchers.c.id.label("voucher")).outerjoin(
                loyalty_vouchers, loyalty_vouchers.c.member_id == m.id
            )
        ).all()
        updates: list[dict[str, object]] = []
        new = dropped = qualified = 0
        for row in rows:
            s = standings.get(row.id, Standing(row.id, 0, 0, None))
            selected_at = row.selected_at
            if s.qualified_at is not None:
                qualified += 1
                if selected_at is None:
                    selected_at = now
                    new += 1
            elif selected_at is not None and row.voucher is None:
                selected_at = None
                dropped += 1
            updates.append(
                {
                    "mid": row.id,
                    "purchases": s.purchases,
                    "total_kopecks": s.total_kopecks,
                    "qualified_at": s.qualified_at,
                    "selected_at": selected_at,
                }
            )
        statement = (
            update(loyalty_members)
            .where(m.id == bindparam("mid"))
            .values(
                purchases=bindparam("purchases"),
                total_kopecks=bindparam("total_kopecks"),
                qualified_at=bindparam("qualified_at"),
                selected_at=bindparam("selected_at"),
            )
        )
        for i in range(0, len(updates), BATCH):
            conn.execute(statement, updates[i : i + BATCH])
        members = int(conn.execute(select(func.count()).select_from(loyalty_members)).scalar_one())
    return SelectionReport(members, qualified, new, dropped)
