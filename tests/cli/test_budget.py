"""`campaignctl budget`: the table, the JSON, what-if options and exit codes.

Figures from tests/budget/fixtures/small.yaml, worked by hand in
tests/budget/test_estimate.py.
"""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from campaignctl.budget import PRICE_TABLE_DATE
from campaignctl.cli.main import app

TESTS = Path(__file__).parent.parent
SMALL = TESTS / "budget" / "fixtures" / "small.yaml"
OVER_CAP = TESTS / "spec" / "fixtures" / "invalid" / "budget-cap.yaml"


def test_table(runner: CliRunner) -> None:
    result = runner.invoke(app, ["budget", str(SMALL)])
    assert result.exit_code == 0, result.output
    for text in (
        "12,345 participants",
        "74,292.35",
        "535,945.86",
        "43.41",
        "over the cap by",
        "5,945.86",
        "legal review",
        PRICE_TABLE_DATE,
    ):
        assert text in result.output, text


def test_json(runner: CliRunner) -> None:
    result = runner.invoke(app, ["budget", str(SMALL), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {
        "campaign",
        "currency",
        "price_table",
        "scenario",
        "lines",
        "total_rub",
        "per_participant_rub",
        "cap",
    }
    assert data["campaign"] == "test-budget-2027"
    assert data["total_rub"] == "535945.86"
    assert data["cap"]["over"] is True
    ndfl = next(line for line in data["lines"] if line["id"] == "ndfl_cash_parts")
    assert ndfl["amount_rub"] == "74292.35"


def test_what_if_options(runner: CliRunner) -> None:
    # 20,000 participants, half by SMS: SMS 77,500.00 and hotline 16,500.00 on top of
    # the fixed 511,406.86 = 605,406.86, or 30.27 per participant (30.2703…).
    result = runner.invoke(
        app, ["budget", str(SMALL), "--json", "--participants", "20000", "--sms-share", "0.5"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["scenario"]["participants"] == 20000
    assert data["scenario"]["sms_share"] == "0.5"
    assert data["total_rub"] == "605406.86"
    assert data["per_participant_rub"] == "30.27"


def test_out_of_range_option_is_a_usage_error(runner: CliRunner) -> None:
    assert runner.invoke(app, ["budget", str(SMALL), "--sms-share", "1.5"]).exit_code == 2
    assert runner.invoke(app, ["budget", str(SMALL), "--participants", "-1"]).exit_code == 2


def test_invalid_campaign_exits_1_with_the_diagnostics(runner: CliRunner) -> None:
    result = runner.invoke(app, ["budget", str(OVER_CAP)])
    assert result.exit_code == 1
    assert f"{OVER_CAP}:74:" in result.output
    assert "exceeds the cap" in result.output
    assert "Traceback" not in result.output


def test_missing_file_exits_1(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["budget", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 1
    assert "nope.yaml" in result.output
    assert "Traceback" not in result.output
