"""`campaignctl render`: the table of files, exit codes, and nothing half-written on failure."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from campaignctl.cli.main import app
from tests.conftest import ROOT


@pytest.fixture
def campaign(tmp_path: Path) -> Path:
    folder = tmp_path / "campaign"
    shutil.copytree(
        ROOT / "examples" / "receipt-draw", folder, ignore=shutil.ignore_patterns("build")
    )
    return folder / "campaign.yaml"


def test_renders_and_prints_what_it_wrote(runner: CliRunner, campaign: Path) -> None:
    result = runner.invoke(app, ["render", str(campaign), "--only", "rules,pos,crm,texts"])
    assert result.exit_code == 0, result.output
    build = campaign.parent / "build"
    for name in (
        "rules/rules.pdf",
        "rules/rules.docx",
        "pos/full.txt",
        "crm/mapping.md",
        "texts/sms.json",
    ):
        assert (build / name).is_file()
        assert name in result.output
    assert "files" in result.output


def test_template_error_in_an_override(runner: CliRunner, campaign: Path, tmp_path: Path) -> None:
    override = campaign.parent / "templates" / "rules_doc" / "fragment.html"
    override.parent.mkdir(parents=True)
    override.write_text("<article>\n{{ c.campaign.name }\n</article>\n", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["render", str(campaign), "--out", str(out)])
    assert result.exit_code == 1
    assert f"{override}:2" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["campaign"]


def test_unwritable_output_folder(runner: CliRunner, campaign: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder", encoding="utf-8")
    result = runner.invoke(app, ["render", str(campaign), "--out", str(blocker / "build")])
    assert result.exit_code == 1
    assert str(blocker / "build") in result.output
    assert "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocker", "campaign"]


def test_unknown_part(runner: CliRunner, campaign: Path) -> None:
    result = runner.invoke(app, ["render", str(campaign), "--only", "rules,flyers"])
    assert result.exit_code == 2
    assert "flyers" in result.output


def test_invalid_campaign(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "campaign.yaml"
    bad.write_text("spec_version: 1\n", encoding="utf-8")
    result = runner.invoke(app, ["render", str(bad)])
    assert result.exit_code == 1
    assert not (tmp_path / "build").exists()
