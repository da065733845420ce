"""NDFL on prizes per winner per calendar year, and the winners' sealed tax data.

Tax Code art. 217 p. 28: a person's promo prizes are exempt up to 4,000 RUB per
calendar year in total; art. 224 p. 2 taxes the rest at 35%; the organizer is
the tax agent (art. 226) and withholds from a cash part C added to the prize:
C = 0.35 * (V - 4000) / 0.65 for the year's prize value V, so that 35% of
(V + C - 4000) is exactly C. The tax itself is rounded to whole rubles (art. 52
p. 6). A prize counts in the year it was won (drawn, or registered for instant
wins); refused prizes and reserves that never stepped in do not count.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Engine, select, update

from campaignctl.draws.book import utc
from campaignctl.draws.tables import winners
from campaignctl.errors import UserError
from campaignctl.model import Campaign
from campaignctl.model.prizes import NDFL_EXEMPTION_RUB, NDFL_PRIZE_RATE
from campaignctl.runtime.sealing import Sealer
from campaignctl.store.runtime_tables import registrations

TAX_FIELDS = ("full_name", "birth_date", "passport", "inn", "address")
_CONTEXT = b"winner-tax-data"


@dataclass(frozen=True)
class TaxLine:
    participant_id: int
    year: int
    prizes: tuple[str, ...]
    """Prize ids won that year, draw and instant wins together."""
    value_rub: Decimal
    exempt_rub: Decimal
    taxable_rub: Decimal
    cash_part_rub: Decimal
    ndfl_rub: Decimal

    def as_json(self) -> dict[str, object]:
        return {
            "participant_id": self.participant_id,
            "year": self.year,
            "prizes": list(self.prizes),
            **{
                name: str(getattr(self, name))
                for name in ("value_rub", "exempt_rub", "taxable_rub", "cash_part_rub", "ndfl_rub")
            },
        }


def cash_part(value_rub: Decimal) -> Decimal:
    """C = 0.35 * (V - 4000) / 0.65, up to the kopeck; 0 when V is within the exemption."""
    if value_rub <= NDFL_EXEMPTION_RUB:
        return Decimal(0)
    raw = NDFL_PRIZE_RATE * (value_rub - NDFL_EXEMPTION_RUB) / (1 - NDFL_PRIZE_RATE)
    return raw.quantize(Decimal("0.01"), rounding=ROUND_CEILING)


def tax_line(participant: int, year: int, prizes: tuple[str, ...], value: Decimal) -> TaxLine:
    cash = cash_part(value)
    exempt = min(value, NDFL_EXEMPTION_RUB)
    taxable = value + cash - exempt if cash else Decimal(0)
    ndfl = (taxable * NDFL_PRIZE_RATE).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return TaxLine(participant, year, prizes, value, exempt, taxable, cash, ndfl)


def _won(conn: Connection, campaign: Campaign) -> Iterator[tuple[int, int, str, Decimal]]:
    """(participant, year, prize, value) of every prize won and not refused."""
    zone = ZoneInfo(campaign.period.timezone)
    counted = winners.c.claim_state.notin_(("refused", "reserve"))
    for r in conn.execute(
        select(
            winners.c.participant_id,
            winners.c.drawn_at,
            winners.c.prize_id,
            winners.c.value_kopecks,
        ).where(counted)
    ):
        yield (
            int(r.participant_id),
            utc(r.drawn_at).astimezone(zone).year,
            str(r.prize_id),
            Decimal(r.value_kopecks) / 100,
        )
    instant = select(
        registrations.c.participant_id, registrations.c.created_at, registrations.c.prize_id
    ).where(registrations.c.prize_id.is_not(None))
    values = {p.id: p.value_rub for p in campaign.prizes}
    for row in conn.execute(instant.execution_options(yield_per=10_000)):
        prize = str(row.prize_id)
        if prize in values:
            yield (
                int(row.participant_id),
                utc(row.created_at).astimezone(zone).year,
                prize,
                values[prize],
            )


def tax_lines(conn: Connection, campaign: Campaign, *, taxable_only: bool = True) -> list[TaxLine]:
    """One line per participant and year; only those above the exemption unless asked."""
    totals: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    prizes: dict[tuple[int, int], list[str]] = defaultdict(list)
    for participant, year, prize, value in _won(conn, campaign):
        totals[participant, year] += value
        prizes[participant, year].append(prize)
    lines = [tax_line(p, y, tuple(sorted(prizes[p, y])), totals[p, y]) for p, y in sorted(totals)]
    return [line for line in lines if line.cash_part_rub or not taxable_only]


class TaxDataInvalid(UserError):
    """Tax data of a winner that cannot be stored."""


def set_tax_data(engine: Engine, sealer: Sealer, winner_id: int, data: Mapping[str, str]) -> None:
    """Seal and store the winner's tax data (only the fields 152-FZ lets us ask winners for)."""
    unknown = sorted(set(data) - set(TAX_FIELDS))
    if unknown:
        raise TaxDataInvalid(
            f"unknown tax data fields: {', '.join(unknown)}",
            hint=f"allowed: {', '.join(TAX_FIELDS)}",
        )
    sealed = sealer.seal(
        json.dumps(dict(data), ensure_ascii=False, sort_keys=True), context=_CONTEXT
    )
    with engine.begin() as conn:
        done = conn.execute(
            update(winners)
            .where(winners.c.id == winner_id)
            .values(tax_sealed=sealed, updated_at=_now())
        )
        if done.rowcount != 1:
            raise TaxDataInvalid(f"no winner with id {winner_id}")


def open_tax_data(sealer: Sealer, sealed: bytes | None) -> dict[str, str]:
    if sealed is None:
        return {}
    loaded: dict[str, str] = json.loads(sealer.open(bytes(sealed), context=_CONTEXT))
    return loaded


def _now() -> datetime:
    return datetime.now(UTC)
