"""`campaignctl plan` through the CLI."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from campaignctl.cli.main import app
from tests.conftest import ROOT

MAIN = ROOT / "examples" / "receipt-draw" / "campaign.yaml"


def test_plan_text(runner: CliRunner) -> None:
    result = runner.invoke(app, ["plan", str(MAIN), "--target", "yandex"])
    assert result.exit_code == 0, result.output
    assert "yandex:MdbMysqlCluster" in result.output
    assert "Total (estimate)" in result.output


def test_plan_json(runner: CliRunner) -> None:
    result = runner.invoke(app, ["plan", str(MAIN), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["cost"]["estimate"] is True
    assert data["outputs"]["hotline_webhook_secret"] == "[secret]"


def test_plan_without_a_yandex_section_exits_1(runner: CliRunner) -> None:
    local = ROOT / "examples" / "bottle-caps" / "campaign.yaml"
    result = runner.invoke(app, ["plan", str(local)])
    assert result.exit_code == 1
    assert "infrastructure.yandex is missing" in result.output
    assert "Traceback" not in result.output


def test_budget_shows_the_cloud_estimate_for_yandex(runner: CliRunner) -> None:
    result = runner.invoke(app, ["budget", str(MAIN), "--json"])
    assert result.exit_code == 0, result.output
    cloud = next(line for line in json.loads(result.output)["lines"] if line["id"] == "cloud")
    # 3,616.76 RUB/month (tests/stack/test_cost.py) × 142 days / 30
    assert cloud["amount_rub"] == "17119.33"
