"""check_file and load_campaign on valid and edge-case input."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from campaignctl.errors import SpecInvalid
from campaignctl.model import Campaign
from campaignctl.spec import check_file, load_campaign

BASE = Path(__file__).parent / "fixtures" / "base.yaml"


def _variant(tmp_path: Path, old: str, new: str) -> Path:
    text = BASE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "campaign.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_load_campaign_builds_a_frozen_model() -> None:
    campaign = load_campaign(BASE)
    assert isinstance(campaign, Campaign)
    assert campaign.slug == "test-caps-2027"
    assert campaign.source == BASE
    assert campaign.prizes[1].cash_part_rub == Decimal("30153.85")
    with pytest.raises(AttributeError):
        campaign.spec_version = 2  # type: ignore[misc]


def test_load_campaign_raises_with_every_error(tmp_path: Path) -> None:
    path = _variant(tmp_path, "  length: 11", "  length: 5")
    with pytest.raises(SpecInvalid) as caught:
        load_campaign(path)
    assert [d.rule for d in caught.value.diagnostics if d.severity == "error"] == ["codes.capacity"]


@pytest.mark.parametrize(
    ("old", "new", "rule"),
    [
        ("value_rub: 60000", "value_rub: 1e300", "schema.range"),
        ("quantity: 50000", "quantity: 1180591620717411303424", "schema.range"),
        ("min_age: 18", "min_age: 18.0", None),
        ("quantity: 50000", "quantity: 5.0e4", None),
        ("value_rub: 90", "value_rub: 89.99", None),
    ],
)
def test_number_edges(tmp_path: Path, old: str, new: str, rule: str | None) -> None:
    report = check_file(_variant(tmp_path, old, new))
    assert [d.rule for d in report.errors] == ([rule] if rule else [])


def test_warnings_do_not_fail(tmp_path: Path) -> None:
    report = check_file(_variant(tmp_path, "retention_days: 30", "retention_days: 365"))
    assert report.ok
    assert "pd.retention" in {d.rule for d in report.warnings}


def test_errors_sorted_by_line(tmp_path: Path) -> None:
    path = _variant(tmp_path, 'inn: "7707083893"', 'inn: "7707083894"')
    text = path.read_text(encoding="utf-8").replace("min_age: 18", "min_age: 3")
    path.write_text(text, encoding="utf-8")
    lines = [d.line for d in check_file(path).diagnostics]
    assert lines == sorted(lines)
