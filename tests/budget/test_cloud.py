"""The cloud line: zero with a pointer until the stack estimates it, and pluggable."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from campaignctl.budget import CostLine, estimate
from campaignctl.model import Campaign
from campaignctl.spec import load_campaign

Variant = Callable[[Callable[[dict[str, Any]], None]], Path]


def test_local_target_costs_nothing(small: Campaign) -> None:
    line = estimate(small).line("cloud")
    assert line.amount_rub == 0
    assert "local" in line.basis


def test_yandex_target_points_to_plan(variant: Variant) -> None:
    def yandex(data: dict[str, Any]) -> None:
        data["infrastructure"] = {
            "target": "yandex",
            "yandex": {"cloud_id": "b1gabcdefghijklmnopq", "folder_id": "b1gqrstuvwxyzabcdefg"},
        }

    line = estimate(load_campaign(variant(yandex))).line("cloud")
    assert line.amount_rub == 0
    assert line.note is not None
    assert "campaignctl plan" in line.note


def test_a_cloud_estimate_plugs_in(small: Campaign) -> None:
    def priced(c: Campaign) -> Iterator[CostLine]:
        yield CostLine("cloud_functions", "Cloud Functions", "5 months", Decimal("1234.56"))
        yield CostLine("cloud_storage", "Object Storage", "5 months", Decimal("100.00"))

    result = estimate(small, cloud=priced)
    assert [line.id for line in result.lines][-2:] == ["cloud_functions", "cloud_storage"]
    # 535,945.86 + 1,234.56 + 100.00
    assert result.total_rub == Decimal("537280.42")
