"""Lines that follow from the prize fund: prizes, NDFL cash parts, fees, delivery, winners' data."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from campaignctl.budget.line import CostLine, terms, times
from campaignctl.budget.prices import kopecks, percent, rub
from campaignctl.model import Campaign
from campaignctl.model.prizes import NDFL_EXEMPTION_RUB, Prize

# Cash and phone credit are paid out through a payout provider (the bonus
# payouts fee); everything else is bought from a supplier (the purchase fee).
PAYOUT_KINDS = frozenset({"cash", "phone_credit"})

WITHHOLDING_NOTE = (
    "the cash part is withheld whole as NDFL, while Tax Code art. 226 p.4 caps "
    "withholding at 50% of a cash payment: flag for legal review"
)


def _sum(amounts: Iterator[Decimal]) -> Decimal:
    return sum(amounts, Decimal(0))


def prize_fund(c: Campaign) -> CostLine:
    basis = terms(f"{p.id} {times(p.value_rub, p.quantity)}" for p in c.prizes)
    return CostLine(
        "prize_fund", "Prize fund at cost", basis, kopecks(_sum(p.fund_rub for p in c.prizes))
    )


def ndfl_cash_parts(c: Campaign) -> CostLine:
    """Tax Code art. 217 p.28, 224 p.2, 226: C = 0.35·(V − 4000)/0.65 per prize over 4,000 RUB."""
    taxable = [p for p in c.prizes if p.taxable]
    basis = terms(
        (f"{p.id} {times(p.cash_part_rub, p.quantity)}" for p in taxable),
        f"no prize over {rub(NDFL_EXEMPTION_RUB)} RUB",
    )
    note = f"C = 0.35·(V − 4000)/0.65, up to the kopeck; {WITHHOLDING_NOTE}" if taxable else None
    # Each cash part is a payment, rounded up to the kopeck by Prize.cash_part_rub.
    amount = kopecks(_sum(p.cash_part_rub * p.quantity for p in taxable))
    return CostLine("ndfl_cash_parts", "NDFL cash parts (35%)", basis, amount, note)


def _bought(c: Campaign) -> list[Prize]:
    return [p for p in c.prizes if p.kind not in PAYOUT_KINDS]


def purchase_fee(c: Campaign) -> CostLine:
    rate = c.budget.prices.prize_purchase_fee_percent
    base = _sum(p.fund_rub for p in _bought(c))
    basis = f"{rate}% × {rub(base)} (goods, certificates, experiences, souvenirs)"
    return CostLine("prize_purchase_fee", "Prize purchase fee", basis, percent(rate, base))


def _delivered(c: Campaign) -> int:
    return sum(p.quantity for p in c.prizes if p.fulfilment == "delivery")


def delivery(c: Campaign) -> CostLine:
    count = _delivered(c)
    price = c.budget.prices.delivery_cost_rub
    basis = f"{times(price, count)} delivered prizes"
    return CostLine("delivery", "Delivery, carrier's bill", basis, kopecks(price * count))


def delivery_fee(c: Campaign) -> CostLine:
    rate = c.budget.prices.delivery_fee_percent
    bill = kopecks(c.budget.prices.delivery_cost_rub * _delivered(c))
    basis = f"{rate}% × {rub(bill)} carrier's bill"
    return CostLine("delivery_fee", "Delivery fee", basis, percent(rate, bill))


def payout_fee(c: Campaign) -> CostLine:
    rate = c.budget.prices.payout_fee_percent
    base = _sum(p.fund_rub for p in c.prizes if p.kind in PAYOUT_KINDS)
    basis = f"{rate}% × {rub(base)} (cash and phone credit prizes)"
    return CostLine("payout_fee", "Bonus payouts fee", basis, percent(rate, base))


def winner_data(c: Campaign) -> CostLine:
    """152-FZ: passport and INN are collected only from winners of prizes over 4,000 RUB."""
    winners = sum(p.quantity for p in c.prizes if p.taxable)
    price = c.budget.prices.pd_processing_per_winner_rub
    basis = f"{times(price, winners)} winners of prizes over {rub(NDFL_EXEMPTION_RUB)} RUB"
    note = "one person per prize: an upper bound when one person wins twice" if winners else None
    return CostLine(
        "pd_processing", "Winners' personal data processing", basis, kopecks(price * winners), note
    )


def fund_lines(c: Campaign) -> list[CostLine]:
    return [
        prize_fund(c),
        ndfl_cash_parts(c),
        purchase_fee(c),
        delivery(c),
        delivery_fee(c),
        payout_fee(c),
        winner_data(c),
    ]
