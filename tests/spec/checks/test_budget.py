"""`validate` against the budget cap: prizes over it fail, the whole estimate over it warns.

The figures are those of tests/budget/fixtures/small.yaml, worked by hand in
tests/budget/test_estimate.py: prize fund + NDFL cash parts 472,263.85 RUB,
estimate 535,945.86 RUB (511,406.86 without participants).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from campaignctl.cli.main import app
from campaignctl.spec import check_file

SMALL = Path(__file__).parents[2] / "budget" / "fixtures" / "small.yaml"


def _with_budget(tmp_path: Path, cap: int, participants: int | None = 12_345) -> Path:
    data = yaml.safe_load(SMALL.read_text(encoding="utf-8"))
    data["budget"]["cap_rub"] = cap
    if participants is None:
        del data["budget"]["scenario"]["expected_participants"]
    else:
        data["budget"]["scenario"]["expected_participants"] = participants
    path = tmp_path / "campaign.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _budget_rules(path: Path) -> list[tuple[str, str]]:
    return [
        (d.rule, d.severity) for d in check_file(path).diagnostics if d.rule.startswith("budget")
    ]


def test_estimate_over_the_cap_warns() -> None:
    report = check_file(SMALL)
    assert report.ok
    found = [d for d in report.warnings if d.rule == "budget.estimate"]
    assert len(found) == 1
    assert found[0].field_path == "budget.cap_rub"
    assert found[0].line == 101
    assert "535,945.86" in found[0].message
    assert "by 5,945.86 RUB" in found[0].message


@pytest.mark.parametrize(
    ("cap", "participants", "expected"),
    [
        (472_263, 12_345, [("budget.cap", "error")]),  # a rouble under prizes + cash parts
        (472_264, 12_345, [("budget.estimate", "warning")]),
        (535_945, 12_345, [("budget.estimate", "warning")]),
        (535_946, 12_345, []),
        (520_000, None, [("budget.cap", "warning")]),  # 472,263.85 > 90% of 520,000
        (530_000, None, []),  # 472,263.85 < 477,000 = 90% of 530,000
    ],
)
def test_cap_boundaries(
    tmp_path: Path, cap: int, participants: int | None, expected: list[tuple[str, str]]
) -> None:
    assert _budget_rules(_with_budget(tmp_path, cap, participants)) == expected


def test_validate_prints_the_warning_and_exits_0(runner: CliRunner) -> None:
    result = runner.invoke(app, ["validate", str(SMALL), "--quiet"])
    assert result.exit_code == 0, result.output
    assert "warning: budget.cap_rub: the estimated budget of 535,945.86 RUB" in result.output
