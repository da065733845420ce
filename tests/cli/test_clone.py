"""`campaignctl clone` through the CLI: what it prints and how it fails."""

from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

from campaignctl.cli.main import app
from tests.scaffold.conftest import FIXTURE, dress


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_clone_prints_changes_skips_and_review(runner: CliRunner, tmp_path: Path) -> None:
    source = tmp_path / "chai-2026"
    shutil.copytree(FIXTURE, source)
    dress(source)
    dest = tmp_path / "chai-2027"
    result = runner.invoke(app, ["clone", str(source), str(dest), "--start", "2027-05-31"])
    assert result.exit_code == 0, result.output
    assert "dates moved by +364 days" in result.output
    assert "period.start: 2026-06-01 -> 2027-05-31" in result.output
    assert "campaign.slug: chai-receipts-2026 -> chai-receipts-2027" in result.output
    assert ".campaignctl/  (campaign state: code key, database, secrets)" in result.output
    assert "print/  (print files)" in result.output
    assert "rules.claim.deadline: '01.10.2026' is an old date -> '30.09.2027'?" in result.output
    assert f"{dest / 'campaign.yaml'}: valid" in result.output


def test_invalid_clone_exits_1_listing_what_to_fix(runner: CliRunner, tmp_path: Path) -> None:
    dest = tmp_path / "new"
    result = runner.invoke(
        app,
        ["clone", str(FIXTURE), str(dest), "--shift-days", "364", "--set", "prizes[0].quantity=1"],
    )
    assert result.exit_code == 1
    assert "prizes[0].quantity" in result.output
    assert "invalid, 1 error(s) to fix" in result.output
    assert (dest / "campaign.yaml").is_file()


def test_bad_input_is_exit_1_and_writes_nothing(runner: CliRunner, tmp_path: Path) -> None:
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "keep.txt").write_text("x")
    (tmp_path / "empty").mkdir()
    cases = [
        ([str(FIXTURE), str(busy)], "not empty"),
        ([str(tmp_path / "empty"), str(tmp_path / "out")], "not a campaign"),
        (
            [str(FIXTURE), str(tmp_path / "out"), "--set", "colour=red"],
            "colour is not in the past campaign",
        ),
        (
            [str(FIXTURE), str(tmp_path / "out"), "--shift-days", "7", "--start", "2027-01-01"],
            "not both",
        ),
    ]
    for args, message in cases:
        result = runner.invoke(app, ["clone", *args])
        assert result.exit_code == 1, (args, result.output)
        assert message in result.output, (args, result.output)
        assert "Traceback" not in result.output
    result = runner.invoke(app, ["clone", str(FIXTURE), str(tmp_path / "out"), "--start", "June"])
    assert result.exit_code == 2
    assert _names(tmp_path) == ["busy", "empty"]
    assert _names(busy) == ["keep.txt"]
