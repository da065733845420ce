"""Each bundled example's estimate against a table worked out by hand.

Default prices (the iActions price list): SMS 2.80, minute 11.00, winner's data 550.00, purchase
fee 10%, delivery 500.00 + 10%, payouts 10%; each example overrides one of them.
NDFL cash part C = 0.35·(V − 4000)/0.65, rounded up to the kopeck per prize.

bottle-caps (sms_rub 2.50; 350,000 participants × 2.6 registrations, 30% by SMS,
1.5% call for 3 minutes; cap 36,000,000):

    prize fund     89 × 100,000 + 100 × 50,000 + 1,200 × 5,000 + 3,990 × 1,000
                   + 45,000 × 12 + 5,000 × 120 + 350,000 × 1
                   = 8,900,000 + 5,000,000 + 6,000,000 + 3,990,000
                   + 540,000 + 600,000 + 350,000            = 25,380,000.00
    NDFL           scooter 0.35 × 41,000 / 0.65 = 22,076.923… → 22,076.93 × 12 = 264,923.16
                   cert-5000 0.35 × 1,000 / 0.65 = 538.461… → 538.47 × 120     =  64,616.40
                   baikal-trip 0.35 × 346,000 / 0.65 = 186,307.692… → 186,307.70
                                                            =    515,847.26
    purchase fee   10% × (25,380,000 − 5,000,000 phone credit) =  2,038,000.00
    delivery       (5,000 + 1,000 + 12) × 500               =  3,006,000.00
    delivery fee   10% × 3,006,000                          =    300,600.00
    payout fee     10% × 5,000,000                          =    500,000.00
    winners' data  (12 + 120 + 1) × 550                     =     73,150.00
    SMS            350,000 × 2.6 × 0.3 = 273,000 × 2.50     =    682,500.00
    hotline        350,000 × 0.015 × 3 = 15,750 min × 11    =    173,250.00
    total                                                   = 32,669,347.26
    per participant 32,669,347.26 / 350,000 = 93.3409…      →         93.34
    cap            36,000,000 − 32,669,347.26 left          =  3,330,652.74

receipt-draw (call_minute_rub 9.50; 90,000 participants, no SMS channel,
2% call for 4 minutes; no codes; target yandex; cap 20,000,000):

    prize fund     200 × 50,000 + 10,000 × 30 + 54,990 × 3 + 2,450,000
                   = 10,000,000 + 300,000 + 164,970 + 2,450,000 = 12,914,970.00
    NDFL           card-10000 0.35 × 6,000 / 0.65 = 3,230.769… → 3,230.77 × 30 = 96,923.10
                   tv 0.35 × 50,990 / 0.65 = 27,456.153… → 27,456.16 × 3        = 82,368.48
                   car 0.35 × 2,446,000 / 0.65 = 1,317,076.923… → 1,317,076.93
                                                            =  1,496,368.51
    purchase fee   10% × 12,914,970                         =  1,291,497.00
    delivery, fee, payouts: nothing delivered or paid out  =          0.00
    winners' data  (30 + 3 + 1) × 550                       =     18,700.00
    SMS            registration by SMS not enabled          =          0.00
    hotline        90,000 × 0.02 × 4 = 7,200 min × 9.50     =     68,400.00
    total                                                   = 15,789,935.51
    per participant 15,789,935.51 / 90,000 = 175.4437…      →        175.44
    cap            20,000,000 − 15,789,935.51 left          =  4,210,064.49

loyalty-gift (delivery_cost_rub 350, unused: mugs are handed over at purchase;
5,500 participants, 5% call for 2.5 minutes; cap 11,000,000):

    prize fund     1,490 × 6,000                            =  8,940,000.00
    NDFL           1,490 ≤ 4,000: none                      =          0.00
    purchase fee   10% × 8,940,000                          =    894,000.00
    hotline        5,500 × 0.05 × 2.5 = 687.5 → 688 min × 11 =      7,568.00
    total                                                   =  9,841,568.00
    per participant 9,841,568 / 5,500 = 1,789.376           →      1,789.38
    cap            11,000,000 − 9,841,568 left              =  1,158,432.00
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from campaignctl.budget import estimate
from campaignctl.spec import load_campaign
from tests.conftest import ROOT

ZERO = "0.00"

TABLES: dict[str, dict[str, str]] = {
    "bottle-caps": {
        "prize_fund": "25380000.00",
        "ndfl_cash_parts": "515847.26",
        "prize_purchase_fee": "2038000.00",
        "delivery": "3006000.00",
        "delivery_fee": "300600.00",
        "payout_fee": "500000.00",
        "pd_processing": "73150.00",
        "sms": "682500.00",
        "hotline": "173250.00",
        "code_generation": ZERO,
        "cloud": ZERO,
    },
    "receipt-draw": {
        "prize_fund": "12914970.00",
        "ndfl_cash_parts": "1496368.51",
        "prize_purchase_fee": "1291497.00",
        "delivery": ZERO,
        "delivery_fee": ZERO,
        "payout_fee": ZERO,
        "pd_processing": "18700.00",
        "sms": ZERO,
        "hotline": "68400.00",
        "code_generation": ZERO,
        "cloud": ZERO,
    },
    "loyalty-gift": {
        "prize_fund": "8940000.00",
        "ndfl_cash_parts": ZERO,
        "prize_purchase_fee": "894000.00",
        "delivery": ZERO,
        "delivery_fee": ZERO,
        "payout_fee": ZERO,
        "pd_processing": ZERO,
        "sms": ZERO,
        "hotline": "7568.00",
        "code_generation": ZERO,
        "cloud": ZERO,
    },
}

# total, per participant, left under the cap
TOTALS = {
    "bottle-caps": ("32669347.26", "93.34", "3330652.74"),
    "receipt-draw": ("15789935.51", "175.44", "4210064.49"),
    "loyalty-gift": ("9841568.00", "1789.38", "1158432.00"),
}

# Each taxed prize's cash part, to the kopeck.
CASH_PARTS = {
    "bottle-caps": {
        "scooter": "22076.93",
        "cert-5000": "538.47",
        "baikal-trip": "186307.70",
    },
    "receipt-draw": {"card-10000": "3230.77", "tv": "27456.16", "car": "1317076.93"},
    "loyalty-gift": {},
}


def test_every_example_has_a_table() -> None:
    assert sorted(p.parent.name for p in (ROOT / "examples").glob("*/campaign.yaml")) == sorted(
        TABLES
    )


@pytest.mark.parametrize("name", sorted(TABLES))
def test_example_matches_the_hand_worked_table(name: str) -> None:
    campaign = load_campaign(ROOT / "examples" / name / "campaign.yaml")
    result = estimate(campaign)
    assert {line.id: f"{line.amount_rub:.2f}" for line in result.lines} == TABLES[name]
    total, per_participant, left = TOTALS[name]
    assert result.total_rub == Decimal(total)
    assert result.per_participant_rub == Decimal(per_participant)
    assert result.cap is not None
    assert result.cap.remaining_rub == Decimal(left)
    cash_parts = {p.id: f"{p.cash_part_rub:.2f}" for p in campaign.prizes if p.taxable}
    assert cash_parts == CASH_PARTS[name]
