"""The report's numbers, each one SQL aggregate over the state database.

Nothing is loaded row by row except the participants' sealed cities (for the
region table), which are opened in a streamed pass: the database never sees a
city in plain text, so it cannot group by it.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Connection, func, inspect, literal_column, select

from campaignctl.draws.tables import winners
from campaignctl.model import Campaign
from campaignctl.runtime.sealing import Sealer
from campaignctl.store.runtime_tables import participants, registrations
from campaignctl.store.tables import code_batches, code_redemptions, code_voids

PRINTED_STATES = ("printed", "shipped")


@dataclass(frozen=True)
class BatchFigures:
    name: str
    state: str
    codes: int
    voided: int
    redeemed: int

    @property
    def usable(self) -> int:
        return 0 if self.state == "voided" else self.codes - self.voided


@dataclass(frozen=True)
class PrizeFigures:
    id: str
    name: str
    award: str
    quantity: int
    value_rub: float
    awarded: int


@dataclass
class Figures:
    registrations: int = 0
    participants: int = 0
    by_day: list[tuple[date, int]] = field(default_factory=list)
    by_channel: dict[str, int] = field(default_factory=dict)
    by_outcome: dict[str, int] = field(default_factory=dict)
    by_region: dict[str, int] = field(default_factory=dict)
    batches: list[BatchFigures] = field(default_factory=list)
    prizes: list[PrizeFigures] = field(default_factory=list)
    sms_cost_rub: float | None = None

    @property
    def printed_codes(self) -> int:
        return sum(b.usable for b in self.batches if b.state in PRINTED_STATES)

    @property
    def redeemed_codes(self) -> int:
        return sum(b.redeemed for b in self.batches if b.state != "voided")

    @property
    def conversion(self) -> float | None:
        printed = self.printed_codes
        return self.redeemed_codes / printed if printed else None


def local_day(conn: Connection, column: Any, campaign: Campaign) -> ColumnElement[Any]:
    """The calendar day of a UTC timestamp in the campaign's zone, in the database's dialect.

    Russian zones have kept one UTC offset all year since 2014, so a fixed
    offset taken at the campaign's start is exact for its whole period.
    """
    start = datetime.combine(campaign.period.start, datetime.min.time())
    offset = ZoneInfo(campaign.period.timezone).utcoffset(start)
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    dialect = conn.dialect.name
    if dialect == "sqlite":
        return func.date(column, f"{minutes:+d} minutes")
    if dialect == "postgresql":
        return func.date(column + literal_column(f"interval '{minutes} minutes'"))
    return func.date(func.date_add(column, literal_column(f"INTERVAL {minutes} MINUTE")))


def collect(conn: Connection, campaign: Campaign, sealer: Sealer | None) -> Figures:
    tables = set(inspect(conn).get_table_names())
    figures = Figures()
    if "registrations" in tables:
        _registrations(conn, campaign, figures)
        if sealer is not None:
            figures.by_region = regions(conn, sealer)
    if "code_batches" in tables:
        figures.batches = batch_figures(conn)
    figures.prizes = prize_figures(conn, campaign, "winners" in tables)
    if "sms_messages" in tables:
        from campaignctl.delivery.tables import sms_messages  # noqa: PLC0415 - delivery's table

        total = conn.execute(select(func.coalesce(func.sum(sms_messages.c.cost_kopecks), 0)))
        figures.sms_cost_rub = int(total.scalar_one()) / 100
    return figures


def _registrations(conn: Connection, campaign: Campaign, figures: Figures) -> None:
    r = registrations.c
    figures.registrations = int(
        conn.execute(select(func.count()).select_from(registrations)).scalar_one()
    )
    figures.participants = int(
        conn.execute(select(func.count(func.distinct(r.participant_id)))).scalar_one()
    )
    day = local_day(conn, r.created_at, campaign).label("day")
    figures.by_day = [
        (_as_date(row.day), int(row.n))
        for row in conn.execute(select(day, func.count().label("n")).group_by(day).order_by(day))
    ]
    figures.by_channel = _pairs(conn.execute(select(r.channel, func.count()).group_by(r.channel)))
    figures.by_outcome = _pairs(conn.execute(select(r.outcome, func.count()).group_by(r.outcome)))


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def regions(conn: Connection, sealer: Sealer) -> dict[str, int]:
    """Participants by the city they gave, where they gave one (sealed details, opened one by one)."""
    counts: Counter[str] = Counter()
    query = select(participants.c.details_sealed).where(participants.c.details_sealed.is_not(None))
    for row in conn.execute(query.execution_options(yield_per=20_000)):
        try:
            city = json.loads(sealer.open(bytes(row.details_sealed))).get("city")
        except (ValueError, AttributeError):
            continue
        if city:
            counts[str(city).strip()] += 1
    return dict(counts.most_common())


def batch_figures(conn: Connection) -> list[BatchFigures]:
    b = code_batches.c
    redeemed: dict[int, int] = {
        int(k): int(v)
        for k, v in conn.execute(
            select(code_redemptions.c.batch_id, func.count()).group_by(code_redemptions.c.batch_id)
        )
    }
    voided: dict[int, int] = {
        int(k): int(v or 0)
        for k, v in conn.execute(
            select(
                code_voids.c.batch_id,
                func.sum(code_voids.c.last_serial - code_voids.c.first_serial + 1),
            ).group_by(code_voids.c.batch_id)
        )
    }
    return [
        BatchFigures(
            row.name,
            row.state,
            int(row.codes),
            voided.get(row.id, 0),
            redeemed.get(row.id, 0),
        )
        for row in conn.execute(
            select(b.id, b.name, b.state, b.count.label("codes")).order_by(b.first_serial)
        )
    ]


def prize_figures(conn: Connection, campaign: Campaign, has_winners: bool) -> list[PrizeFigures]:
    awarded: Counter[str] = Counter()
    if inspect(conn).has_table("registrations"):
        r = registrations.c
        awarded.update(
            _pairs(
                conn.execute(
                    select(r.prize_id, func.count())
                    .where(r.prize_id.is_not(None))
                    .group_by(r.prize_id)
                )
            )
        )
    if has_winners:
        w = winners.c
        awarded.update(
            _pairs(
                conn.execute(
                    select(w.prize_id, func.count())
                    .where(w.claim_state.notin_(("reserve", "refused")))
                    .group_by(w.prize_id)
                )
            )
        )
    return [
        PrizeFigures(p.id, p.name, p.award, p.quantity, float(p.value_rub), awarded.get(p.id, 0))
        for p in campaign.prizes
    ]


def _pairs(rows: Iterable[Any]) -> dict[str, int]:
    return {str(row[0]): int(row[1]) for row in rows}
