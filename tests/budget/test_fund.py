"""Prize-driven lines: which prizes are taxed, bought, delivered or paid out."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from campaignctl.budget import estimate
from campaignctl.spec import load_campaign

Variant = Callable[[Callable[[dict[str, Any]], None]], Path]


def _prize(data: dict[str, Any], prize_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(p for p in data["prizes"] if p["id"] == prize_id)
    return found


def test_one_kopeck_over_the_exemption_is_taxed(variant: Variant) -> None:
    # headphones at 4,000.01: C = 0.35 × 0.01 / 0.65 = 0.0053… → up to 0.01, × 10 = 0.10;
    # the other cash parts stay 67,830.81 + 6,461.54 = 74,292.35, so 74,292.45.
    # Winners over 4,000: 10 + 3 + 2 = 15 × 550 = 8,250.00.
    path = variant(lambda d: _prize(d, "headphones").update(value_rub=4000.01))
    result = estimate(load_campaign(path))
    assert result.line("ndfl_cash_parts").amount_rub == Decimal("74292.45")
    assert result.line("pd_processing").amount_rub == Decimal("8250.00")


def test_no_taxable_prize_has_no_cash_part_or_note(variant: Variant) -> None:
    def cheap(data: dict[str, Any]) -> None:
        _prize(data, "phone")["value_rub"] = 3999
        _prize(data, "money")["value_rub"] = 4000

    result = estimate(load_campaign(variant(cheap)))
    line = result.line("ndfl_cash_parts")
    assert line.amount_rub == 0
    assert line.note is None
    assert "no prize over 4,000.00 RUB" in line.basis
    assert result.line("pd_processing").amount_rub == 0


def test_payout_kinds_move_from_purchase_to_payout_fee(variant: Variant) -> None:
    # The sticker becomes phone credit: purchase base 327,971.50 − 150,000 = 177,971.50,
    # 7% = 12,458.005 → 12,458.01; payout base 70,000 + 150,000 = 220,000, 10% = 22,000.00.
    path = variant(lambda d: _prize(d, "sticker").update(kind="phone_credit"))
    result = estimate(load_campaign(path))
    assert result.line("prize_purchase_fee").amount_rub == Decimal("12458.01")
    assert result.line("payout_fee").amount_rub == Decimal("22000.00")


def test_delivery_counts_only_delivered_prizes(variant: Variant) -> None:
    # Phones picked up: 10 headphones × 450 = 4,500.00, fee 10% = 450.00.
    path = variant(lambda d: _prize(d, "phone").update(fulfilment="pickup"))
    result = estimate(load_campaign(path))
    assert result.line("delivery").amount_rub == Decimal("4500.00")
    assert result.line("delivery_fee").amount_rub == Decimal("450.00")
