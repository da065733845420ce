"""One line of a budget estimate, and the shape of a function that adds lines."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from campaignctl.budget.prices import rub
from campaignctl.model import Campaign


@dataclass(frozen=True)
class CostLine:
    id: str
    """Stable identifier, e.g. ``ndfl_cash_parts``; used by JSON readers and tests."""
    item: str
    basis: str
    """How the amount was computed, with the figures put in."""
    amount_rub: Decimal
    note: str | None = None

    def as_json(self) -> dict[str, str | None]:
        return {
            "id": self.id,
            "item": self.item,
            "basis": self.basis,
            "amount_rub": f"{self.amount_rub:.2f}",
            "note": self.note,
        }


LineProvider = Callable[[Campaign], Iterable[CostLine]]
"""Extra lines from elsewhere, e.g. the cloud estimate of the stack for a target."""


def terms(parts: Iterable[str], empty: str = "none") -> str:
    """``a + b + c``, or ``empty`` when there is nothing to add."""
    joined = " + ".join(parts)
    return joined or empty


def times(price: Decimal, count: int | Decimal) -> str:
    return f"{rub(price)} × {count:,}"
