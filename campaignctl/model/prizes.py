"""The prize fund and the draws that hand part of it out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Literal

from campaignctl.model.period import DateRange

PrizeKind = Literal["goods", "cash", "certificate", "phone_credit", "experience", "souvenir"]
Award = Literal["instant_win", "draw", "points_exchange", "guaranteed", "loyalty"]
PrizeFulfilment = Literal["delivery", "pickup", "electronic", "at_purchase"]

# Tax Code art. 217 p. 28: promo prizes are exempt up to 4,000 RUB per person
# per calendar year; above that, art. 224 p. 2 taxes them at 35%.
NDFL_EXEMPTION_RUB = Decimal(4000)
NDFL_PRIZE_RATE = Decimal("0.35")


@dataclass(frozen=True)
class Prize:
    id: str
    name: str
    value_rub: Decimal
    quantity: int
    award: Award
    fulfilment: PrizeFulfilment
    kind: PrizeKind = "goods"
    description: str | None = None
    instant_win_probability: float | None = None
    points_cost: int | None = None
    per_person_limit: int | None = None
    image: str | None = None

    @property
    def taxable(self) -> bool:
        return self.value_rub > NDFL_EXEMPTION_RUB

    @property
    def cash_part_rub(self) -> Decimal:
        """Cash added so the organizer can withhold the 35% NDFL on the prize.

        With the whole prize V + C taxed above the 4,000 exemption and the tax
        paid out of the cash part, C = 0.35 * (V + C - 4000), so
        C = 0.35 * (V - 4000) / 0.65, rounded up to the kopeck.
        """
        if not self.taxable:
            return Decimal(0)
        raw = NDFL_PRIZE_RATE * (self.value_rub - NDFL_EXEMPTION_RUB) / (1 - NDFL_PRIZE_RATE)
        return raw.quantize(Decimal("0.01"), rounding="ROUND_CEILING")

    @property
    def fund_rub(self) -> Decimal:
        return self.value_rub * self.quantity


@dataclass(frozen=True)
class DrawPrize:
    prize: str
    quantity: int


@dataclass(frozen=True)
class Draw:
    id: str
    at: datetime
    entries: DateRange
    prizes: tuple[DrawPrize, ...]
    name: str | None = None
    reserve_winners: int = 0
    max_wins_per_person: int = 1
    moderated_only: bool = True
    carry_over: bool = False
