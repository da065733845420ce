"""`campaignctl down` refuses, asks and archives before it destroys (no server here)."""

from __future__ import annotations

import tarfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from campaignctl.cli.main import app
from campaignctl.reports.build import report
from campaignctl.teardown.archive import check_archive
from tests.draws.seeding import Seeder, drawn_bottle_caps


@pytest.fixture
def drawn(tmp_path: Path) -> Seeder:
    seeder = drawn_bottle_caps(tmp_path)
    seeder.engine.dispose()
    return seeder


def _state_files(seeder: Seeder) -> set[str]:
    return {p.name for p in (seeder.campaign.folder / ".campaignctl").iterdir()}


def test_without_a_final_report_down_refuses_and_changes_nothing(
    runner: CliRunner, drawn: Seeder
) -> None:
    spec = str(drawn.campaign.source)
    before = _state_files(drawn)
    for args in ([], ["--yes"]):
        result = runner.invoke(app, ["down", spec, *args])
        assert result.exit_code == 1
        assert "no final report" in result.output and "--force" in result.output
    assert _state_files(drawn) == before and "state.db" in before
    assert not (drawn.campaign.folder / "archive").exists()


def test_force_needs_a_confirmation_too(runner: CliRunner, drawn: Seeder) -> None:
    spec = str(drawn.campaign.source)
    result = runner.invoke(app, ["down", spec, "--force"])
    assert result.exit_code == 1 and "pass --yes" in result.output
    assert "state.db" in _state_files(drawn)
    assert not (drawn.campaign.folder / "archive").exists()


def test_forced_down_archives_then_destroys(runner: CliRunner, drawn: Seeder) -> None:
    result = runner.invoke(app, ["down", str(drawn.campaign.source), "--force", "--yes"])
    assert result.exit_code == 0, result.output
    assert "destroyed:" in result.output and "state database" in result.output
    assert _state_files(drawn) <= {".gitignore"}
    (archive,) = (drawn.campaign.folder / "archive").glob("*.tar.gz")
    assert check_archive(archive)
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert "draws/week-01/protocol.json" in names and "tax/ndfl.csv" in names
    assert "statistics/report.json" in names and "reports/final/report.html" not in names


def test_down_after_the_final_report_with_yes(runner: CliRunner, drawn: Seeder) -> None:
    report(drawn.campaign, final=True)
    result = runner.invoke(app, ["down", str(drawn.campaign.source), "--yes"])
    assert result.exit_code == 0, result.output
    assert "reports/final/report.pdf" in result.output
    tampered = next((drawn.campaign.folder / "archive").glob("*.tar.gz"))
    assert check_archive(tampered)
    tampered.write_bytes(tampered.read_bytes() + b"x")
    assert not check_archive(tampered)


def test_unknown_target_is_refused(runner: CliRunner, drawn: Seeder) -> None:
    result = runner.invoke(app, ["down", str(drawn.campaign.source), "--target", "aws"])
    assert result.exit_code == 1 and "unknown target" in result.output
