"""The monthly estimate against a hand-worked figure, and the budget's cloud line."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from campaignctl.stack.yandex.budget import cloud_lines
from campaignctl.stack.yandex.cost import estimate_monthly, price_table, traffic
from campaignctl.stack.yandex.offline import OfflineStack
from tests.stack.conftest import MAIN, example

# receipt-draw at 60,000 requests/day = 1,800,000 a month, prices.json as committed:
#   Object Storage  0.55 GB × 2.01 + 1 GB cold × 1.07 + 1,260,000 GET / 10k × 0.40
#                   + 300 PUT / 1k × 0.50                                 =    52.73
#   API Gateway     (1,800,000 − 100,000) / 1M × 120                       =   204.00
#   Functions       637,234 calls < 1M free (43,200 of them the relay, every
#                   minute); GB×h: 540,000 × 0.3 s × 0.25 GB + 54,000 × 1 s × 0.125 GB
#                   + 34 × 60 s × 0.5 GB + 43,200 × 0.5 s × 0.125 GB = 14.1583 h,
#                   (14.1583 − 10) × 5.47                                 =    22.75
#   Message Queue   (54,000 × 3 + 129,600 polls − 100,000) / 1M × 48       =     9.20
#   Managed MySQL   720 × 3.77 + 20 GB × 13.01 + 720 × 0.26 (public IP)    = 3,161.80
#   KMS             5 keys × 10.80 + 12,744.68 ops / 10k × 0.40            =    54.51
#   Cloud CDN       1,800,000 × 40 KB = 68.6646 GB × 0.92                  =    63.17
#   Cloud DNS       45.00 + 180,000 / 1M × 20                              =    48.60
#                                                                    total = 3,616.76
HAND_WORKED = {
    "Object Storage": "52.73",
    "API Gateway": "204.00",
    "Cloud Functions": "22.75",
    "Message Queue": "9.20",
    "Managed MySQL": "3161.80",
    "KMS": "54.51",
    "Cloud CDN": "63.17",
    "Cloud DNS": "48.60",
}


def test_receipt_draw_by_hand(stacks: dict[str, OfflineStack]) -> None:
    result = estimate_monthly(stacks[MAIN])
    assert {i.service: str(i.monthly_rub) for i in result.items} == HAND_WORKED
    assert result.monthly_rub == Decimal("3616.76")
    assert result.traffic.requests_per_day == 60_000


def test_price_table_is_dated_and_sourced() -> None:
    table = price_table()
    assert table["date"] == "2026-11-24"
    assert table["source"].startswith("https://yandex.cloud/")
    assert table["currency"] == "RUB"


def test_traffic_falls_back_to_the_budget_scenario() -> None:
    campaign = example(MAIN)
    target = campaign.infrastructure.yandex
    assert target is not None
    no_traffic = dataclasses.replace(
        campaign,
        infrastructure=dataclasses.replace(
            campaign.infrastructure,
            yandex=dataclasses.replace(target, expected_requests_per_day=None),
        ),
    )
    # 90,000 participants × 2.9 registrations × 25 requests / 92 registration days
    found = traffic(no_traffic)
    assert found.requests_per_day == round(90_000 * 2.9 * 25 / 92) == 70_924
    assert "budget.scenario" in found.source


def test_budget_cloud_line_covers_the_period() -> None:
    (line,) = cloud_lines(example(MAIN))
    # 3,616.76 RUB/month × 142 days (2027-08-01 .. 2027-12-20) / 30 = 17,119.33
    assert line.amount_rub == Decimal("17119.33")
    assert "estimate" in line.item
    assert line.note is not None
    assert "2026-11-24" in line.note
