"""The bundled example campaigns validate cleanly, with only the warnings they are known for."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest
from typer.testing import CliRunner

from campaignctl.cli.main import app
from campaignctl.spec import check_file
from tests.conftest import EXAMPLES, ROOT

# The warnings each example is expected to raise, by rule id. A new warning
# fails the test: either the example is wrong or the check needs a look.
EXPECTED_WARNINGS: dict[str, set[str]] = {
    # Scooters, 5,000 RUB certificates and the trip are over 4,000 RUB: the
    # NDFL notice is the point of the warning, not a defect of the example.
    "bottle-caps": {"tax.ndfl"},
    # Gift cards, TVs and the car are over 4,000 RUB.
    "receipt-draw": {"tax.ndfl"},
    # A 1,490 RUB souvenir: nothing to warn about.
    "loyalty-gift": set(),
}

SCHEMA_LINE = "# yaml-language-server: $schema=../../schemas/campaign.schema.json"
MAX_ASSET_BYTES = 50 * 1024


def _name(path: Path) -> str:
    return path.parent.name


def test_every_example_is_listed() -> None:
    assert {_name(p) for p in EXAMPLES} == set(EXPECTED_WARNINGS)


def test_make_up_example_exists() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "EXAMPLE ?= examples/bottle-caps/campaign.yaml" in makefile
    assert (ROOT / "examples" / "bottle-caps" / "campaign.yaml") in EXAMPLES


@pytest.mark.parametrize("path", EXAMPLES, ids=_name)
def test_example_is_valid(path: Path) -> None:
    report = check_file(path)
    assert not report.errors, [d.render() for d in report.errors]
    assert report.campaign is not None
    found = {d.rule for d in report.warnings}
    assert found == EXPECTED_WARNINGS[_name(path)], [d.render() for d in report.warnings]


@pytest.mark.parametrize("path", EXAMPLES, ids=_name)
def test_example_cli_exits_0(path: Path, runner: CliRunner) -> None:
    result = runner.invoke(app, ["validate", "--quiet", str(path)])
    assert result.exit_code == 0, result.output
    assert f"{path}: valid" in result.output


@pytest.mark.parametrize("path", EXAMPLES, ids=_name)
def test_example_header_and_assets(path: Path) -> None:
    assert path.read_text(encoding="utf-8").splitlines()[0] == SCHEMA_LINE
    assets = [p for p in (path.parent / "assets").rglob("*") if p.is_file()]
    assert assets, f"{path.parent} has no assets"
    for asset in assets:
        assert asset.stat().st_size < MAX_ASSET_BYTES, f"{asset} is over 50 KB"


def test_bottle_caps_weekly_draws_tile_the_registration_window() -> None:
    campaign = check_file(ROOT / "examples" / "bottle-caps" / "campaign.yaml").campaign
    assert campaign is not None and campaign.codes is not None
    assert campaign.codes.count == 5_000_000
    assert sum(b.count for b in campaign.codes.batches) == campaign.codes.count
    weekly = [d for d in campaign.draws if d.id.startswith("week-")]
    reg = campaign.period.registration
    assert weekly[0].entries.start == reg.start
    assert weekly[-1].entries.end == reg.end
    for before, after in pairwise(weekly):
        assert (after.entries.start - before.entries.end).days == 1
    for draw in weekly:
        assert (draw.entries.end - draw.entries.start).days == 6
        assert 1 <= (draw.at.date() - draw.entries.end).days <= 7
