"""Where the default price table comes from, and the rounding every line uses."""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

# The defaults of campaignctl.model.policy.Prices come from the public price list
# of iActions, a Russian promo-campaign operator ("Стоимость услуг", retrieved
# 2026-11). The list has no date of its own; this is the day it was
# recorded in the repository. Fees there are ranges (7-10%); the defaults take
# the upper bound, so an estimate errs on the side of the cap.
PRICE_TABLE_SOURCE = "iActions price list «Стоимость услуг», retrieved 2026-11"
PRICE_TABLE_DATE = "2026-11-24"

KOPECK = Decimal("0.01")
ZERO = Decimal("0.00")

# Codes cost nothing to generate up to this many per campaign (the iActions price list).
FREE_CODES = 10_000_000


def kopecks(amount: Decimal) -> Decimal:
    """Round a payment to the kopeck, half up (how invoices are rounded)."""
    return amount.quantize(KOPECK, rounding=ROUND_HALF_UP)


def whole(count: Decimal) -> int:
    """Round an expected count (messages, minutes) up: nobody bills half an SMS."""
    return int(count.to_integral_value(rounding=ROUND_CEILING))


def percent(rate: Decimal, base: Decimal) -> Decimal:
    """``rate`` percent of ``base``, rounded to the kopeck: one fee, one invoice."""
    return kopecks(base * rate / 100)


def rub(amount: Decimal) -> str:
    """``1234567.8`` -> ``1,234,567.80``: how amounts read in tables and notes."""
    return f"{amount:,.2f}"
