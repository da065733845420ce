"""POS/packaging text: 38-FZ art. 9 items in both variants, and counts that match the text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from campaignctl.model import Campaign
from campaignctl.render.context import short_name
from campaignctl.render.pos import VARIANTS
from tests.render.legal import grouped, plain, short_date


def _text(built: Path, variant: str) -> str:
    return (built / "pos" / f"{variant}.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("variant", VARIANTS)
def test_art9_items(example: Campaign, built: Path, variant: str) -> None:
    text = plain(_text(built, variant))
    rules_site = example.rules.url.split("://", 1)[1]
    assert rules_site in text, "where to read the rules and learn about the organizer"
    assert "Информация об организаторе" in text
    assert any(
        name in text
        for name in (example.organizer.legal_name, short_name(example.organizer.legal_name))
    )
    period = example.period
    assert short_date(period.registration.start) in text
    assert short_date(period.registration.end) in text
    total = sum(p.quantity for p in example.prizes)
    assert grouped(total) in text, "number of prizes"
    assert short_date(period.claim_deadline) in text, "time of receiving prizes"


def test_full_variant_has_claim_place_and_each_prize(example: Campaign, built: Path) -> None:
    text = plain(_text(built, "full"))
    assert plain(example.rules.claim.place) in text
    assert plain(example.rules.claim.procedure) in text
    for prize in example.prizes:
        assert f"{plain(prize.name)} — {grouped(prize.quantity)} шт." in text


def test_counts_match_the_files(built: Path) -> None:
    counts = json.loads((built / "pos" / "counts.json").read_text(encoding="utf-8"))
    readme = (built / "pos" / "README.txt").read_text(encoding="utf-8")
    for variant in VARIANTS:
        text = _text(built, variant).rstrip("\n")
        assert counts[variant]["characters"] == len(text)
        assert counts[variant]["characters_without_spaces"] == len("".join(text.split()))
        assert counts[variant]["words"] == len(text.split())
        assert f"{variant}.txt" in readme
        assert str(len(text)) in readme


def test_compact_is_compact(built: Path) -> None:
    assert len(_text(built, "compact")) < 450
    assert len(_text(built, "compact")) < len(_text(built, "full")) / 2
