"""`campaignctl loyalty` end to end on a copy of the loyalty-gift example, through the CLI."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from campaignctl.cli.main import app
from campaignctl.model.campaign import Campaign
from campaignctl.runtime.context import CLOCK_ENV
from tests.loyalty.conftest import AFTER_WINDOW, Plan, write_export
from tests.runtime.conftest import copy_example


@pytest.fixture
def gift(tmp_path: Path) -> Campaign:
    return copy_example("loyalty-gift", tmp_path / "gift")


def test_import_select_issue_hand_over(
    runner: CliRunner, gift: Campaign, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    offset = (AFTER_WINDOW - datetime.now(UTC)).total_seconds()
    monkeypatch.setenv(CLOCK_ENV, str(offset))
    spec = str(gift.source)
    plan = Plan(members=36)
    rows = [*plan.rows(), ["77880000", "31.10.2027 25:00", "300", "S1", ""]]
    export = write_export(tmp_path / "p.csv", rows)
    problems = tmp_path / "problems.csv"
    result = runner.invoke(
        app, ["loyalty", "import", spec, str(export), "--problems", str(problems)]
    )
    assert result.exit_code == 0, result.output
    bad_line = len(rows) + 1
    assert "1 malformed" in result.output
    assert f"line {bad_line}: '31.10.2027 25:00' is not a date and time" in result.output
    assert problems.read_text(encoding="utf-8").splitlines()[1].startswith(f"{bad_line},malformed")
    result = runner.invoke(app, ["loyalty", "select", spec])
    assert result.exit_code == 0, result.output
    assert f"{len(plan.qualified)} meet the criteria" in result.output
    out = tmp_path / "vouchers.csv"
    result = runner.invoke(app, ["loyalty", "vouchers", spec, "--csv", str(out)])
    assert result.exit_code == 0, result.output
    assert f"{len(plan.qualified)} vouchers issued" in result.output
    with out.open(encoding="utf-8") as handle:
        first = next(csv.DictReader(handle, delimiter=";"))
    result = runner.invoke(app, ["loyalty", "handover", spec, first["voucher"], "--store", "S05"])
    assert result.exit_code == 0, result.output
    assert "handed over (purchase)" in result.output
    again = runner.invoke(app, ["loyalty", "handover", spec, first["voucher"]])
    assert again.exit_code == 1
    assert "already handed over" in again.output
    assert "Traceback" not in again.output


def test_a_campaign_without_loyalty_is_a_clear_error(runner: CliRunner, tmp_path: Path) -> None:
    caps = copy_example("bottle-caps", tmp_path / "caps")
    result = runner.invoke(app, ["loyalty", "select", str(caps.source)])
    assert result.exit_code == 1
    assert "no loyalty selection" in result.output
