"""The estimate of fixtures/small.yaml against a table worked out by hand.

Prices: the defaults (the iActions price list) except sms_rub 3.10, prize_purchase_fee_percent 7
and delivery_cost_rub 450, overridden in the spec. Scenario: 12,345 participants,
2.5 registrations each, 15% by SMS, 3% call the hotline for 2.5 minutes.

    prize fund      sticker 150 × 1,000            = 150,000.00
                    headphones 4,000 × 10          =  40,000.00
                    phone 45,990.50 × 3            = 137,971.50
                    money 10,000 × 2               =  20,000.00
                    credit 100 × 500               =  50,000.00
                                                     397,971.50
    NDFL cash parts phone: 0.35 × (45,990.50 − 4,000) / 0.65
                         = 14,696.675 / 0.65 = 22,610.2692… → up to 22,610.27
                         × 3                       =  67,830.81
                    money: 0.35 × 6,000 / 0.65 = 2,100 / 0.65 = 3,230.769… → 3,230.77
                         × 2                       =   6,461.54
                    headphones at exactly 4,000 are not taxed
                                                      74,292.35
    purchase fee    7% × (150,000 + 40,000 + 137,971.50 = 327,971.50)
                         = 22,958.005 → half up       22,958.01
    delivery        13 delivered (10 + 3) × 450      =   5,850.00
    delivery fee    10% × 5,850                      =     585.00
    payout fee      10% × (20,000 + 50,000)          =   7,000.00
    winners' data   5 winners over 4,000 (3 + 2) × 550 = 2,750.00
    SMS             12,345 × 2.5 × 0.15 = 4,629.375 → 4,630 replies × 3.10 = 14,353.00
    hotline         12,345 × 0.03 × 2.5 = 925.875 → 926 minutes × 11      = 10,186.00
    codes           5,000,000 ≤ 10,000,000 free      =       0.00
    cloud           target local                     =       0.00
    total           397,971.50 + 74,292.35 + 22,958.01 + 5,850 + 585 + 7,000
                    + 2,750 + 14,353 + 10,186        = 535,945.86
    per participant 535,945.86 / 12,345 = 43.4140… →      43.41
    cap             530,000: over by 5,945.86, 535,945.86 / 530,000 = 1.0112
"""

from __future__ import annotations

from decimal import Decimal

from campaignctl.budget import estimate
from campaignctl.model import Campaign

SMALL_TABLE = {
    "prize_fund": "397971.50",
    "ndfl_cash_parts": "74292.35",
    "prize_purchase_fee": "22958.01",
    "delivery": "5850.00",
    "delivery_fee": "585.00",
    "payout_fee": "7000.00",
    "pd_processing": "2750.00",
    "sms": "14353.00",
    "hotline": "10186.00",
    "code_generation": "0.00",
    "cloud": "0.00",
}


def test_small_matches_the_hand_worked_table(small: Campaign) -> None:
    result = estimate(small)
    assert {line.id: f"{line.amount_rub:.2f}" for line in result.lines} == SMALL_TABLE
    assert result.total_rub == Decimal("535945.86")
    assert result.per_participant_rub == Decimal("43.41")
    assert result.volumes.sms_registrations == 4630
    assert result.volumes.hotline_minutes == 926


def test_small_cash_parts_to_the_kopeck(small: Campaign) -> None:
    assert {p.id: p.cash_part_rub for p in small.prizes if p.taxable} == {
        "phone": Decimal("22610.27"),
        "money": Decimal("3230.77"),
    }


def test_small_is_over_its_cap(small: Campaign) -> None:
    cap = estimate(small).cap
    assert cap is not None
    assert cap.over
    assert cap.remaining_rub == Decimal("-5945.86")
    assert cap.used == Decimal("1.0112")


def test_what_if_no_participants_leaves_the_fixed_costs(small: Campaign) -> None:
    # 535,945.86 − SMS 14,353 − hotline 10,186 = 511,406.86, under the 530,000 cap.
    result = estimate(small, participants=0)
    assert result.line("sms").amount_rub == 0
    assert result.line("hotline").amount_rub == 0
    assert result.total_rub == Decimal("511406.86")
    assert result.per_participant_rub is None
    assert result.cap is not None
    assert not result.cap.over
    assert result.cap.remaining_rub == Decimal("18593.14")


def test_what_if_sms_share(small: Campaign) -> None:
    # 20,000 × 2.5 × 0.5 = 25,000 replies × 3.10 = 77,500.00;
    # hotline 20,000 × 0.03 × 2.5 = 1,500 minutes × 11 = 16,500.00.
    result = estimate(small, participants=20_000, sms_share=0.5)
    assert result.volumes.participants_from == "--participants"
    assert result.line("sms").amount_rub == Decimal("77500.00")
    assert result.line("hotline").amount_rub == Decimal("16500.00")


def test_json_shape(small: Campaign) -> None:
    data = estimate(small).as_json()
    assert data["total_rub"] == "535945.86"
    assert data["per_participant_rub"] == "43.41"
    assert data["cap"] == {
        "cap_rub": "530000.00",
        "remaining_rub": "-5945.86",
        "over": True,
        "used": "1.0112",
    }
    prices = data["price_table"]
    assert isinstance(prices, dict)
    assert prices["sms_rub"] == "3.10"
    assert prices["call_minute_rub"] == "11.00"
    assert prices["prize_purchase_fee_percent"] == "7"
    assert prices["date"]
    lines = data["lines"]
    assert isinstance(lines, list)
    assert [line["id"] for line in lines] == list(SMALL_TABLE)
    assert all(set(line) == {"id", "item", "basis", "amount_rub", "note"} for line in lines)


def test_ndfl_line_flags_the_withholding_cap(small: Campaign) -> None:
    note = estimate(small).line("ndfl_cash_parts").note
    assert note is not None
    assert "art. 226 p.4" in note
    assert "legal review" in note
