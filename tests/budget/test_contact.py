"""Lines that scale with participants, and where the participant count comes from."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from campaignctl.budget import estimate
from campaignctl.model import Campaign
from campaignctl.spec import load_campaign

Variant = Callable[[Callable[[dict[str, Any]], None]], Path]


def test_without_a_scenario_the_kpi_gives_the_participants(variant: Variant) -> None:
    # 1,000 participants: SMS 1,000 × 2.5 × 0.15 = 375 × 3.10 = 1,162.50;
    # hotline 1,000 × 0.03 × 2.5 = 75 minutes × 11 = 825.00.
    def kpi_only(data: dict[str, Any]) -> None:
        del data["budget"]["scenario"]["expected_participants"]
        data["campaign"]["kpi"] = {"participants": 1000}

    result = estimate(load_campaign(variant(kpi_only)))
    assert result.volumes.participants_from == "campaign.kpi.participants"
    assert result.line("sms").amount_rub == Decimal("1162.50")
    assert result.line("hotline").amount_rub == Decimal("825.00")


def test_without_participants_the_lines_say_what_to_set(variant: Variant) -> None:
    path = variant(lambda d: d["budget"]["scenario"].pop("expected_participants"))
    result = estimate(load_campaign(path))
    assert result.volumes.participants is None
    assert result.per_participant_rub is None
    for line_id in ("sms", "hotline"):
        line = result.line(line_id)
        assert line.amount_rub == 0
        assert line.note is not None
        assert "--participants" in line.note


def test_sms_costs_nothing_when_sms_registration_is_off(variant: Variant) -> None:
    path = variant(lambda d: d["mechanics"]["codes"].update(channels=["site"]))
    line = estimate(load_campaign(path)).line("sms")
    assert line.amount_rub == 0
    assert "not enabled" in line.basis


def test_no_hotline_no_minutes(variant: Variant) -> None:
    path = variant(lambda d: d["channels"].pop("hotline"))
    line = estimate(load_campaign(path)).line("hotline")
    assert line.amount_rub == 0
    assert "no channels.hotline" in line.basis


def test_sms_replies_round_up_to_whole_messages(small: Campaign) -> None:
    # 1 participant × 2.5 × 0.15 = 0.375 of a reply → 1 SMS, 3.10.
    assert estimate(small, participants=1).line("sms").amount_rub == Decimal("3.10")


def test_code_generation_is_free_up_to_ten_million(small: Campaign, variant: Variant) -> None:
    line = estimate(small).line("code_generation")
    assert line.amount_rub == 0
    assert line.note is None
    path = variant(lambda d: d["codes"].update(count=12_000_000, length=12))
    over = estimate(load_campaign(path)).line("code_generation")
    assert over.note is not None
    assert "quote" in over.note
