"""The cost model: what a campaign will cost, line by line, against its cap.

Built from the typed :class:`~campaignctl.model.Campaign` only; prices are the
spec's ``budget.prices`` (defaults: the iActions price list). Amounts are
Decimal roubles, rounded to the kopeck per line, where a payment is made.
"""

from __future__ import annotations

from campaignctl.budget.estimate import CapComparison, Estimate, estimate
from campaignctl.budget.line import CostLine, LineProvider
from campaignctl.budget.prices import PRICE_TABLE_DATE, PRICE_TABLE_SOURCE

__all__ = [
    "PRICE_TABLE_DATE",
    "PRICE_TABLE_SOURCE",
    "CapComparison",
    "CostLine",
    "Estimate",
    "LineProvider",
    "estimate",
]
