"""The campaignctl command: help, version, exit codes at the boundary."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from campaignctl import __version__
from campaignctl.cli.main import COMMANDS, app, load_command

BASE = Path(__file__).parent.parent / "spec" / "fixtures" / "base.yaml"


def test_help_lists_commands(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "validate" in result.output


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output


def test_usage_error_is_exit_2(runner: CliRunner) -> None:
    assert runner.invoke(app, ["validate"]).exit_code == 2
    assert runner.invoke(app, ["validate", str(BASE), "--format", "xml"]).exit_code == 2
    assert runner.invoke(app, ["no-such-command"]).exit_code == 2


def test_valid_campaign_prints_summary(runner: CliRunner) -> None:
    result = runner.invoke(app, ["validate", str(BASE)])
    assert result.exit_code == 0, result.output
    assert "valid (1 warning(s))" in result.output
    assert "Тестовые крышки" in result.output
    assert "tax.ndfl" not in result.output  # rule ids are for JSON, text shows the message
    assert "NDFL 35%" in result.output


def test_quiet_prints_problems_only(runner: CliRunner) -> None:
    result = runner.invoke(app, ["validate", "-q", str(BASE)])
    assert result.exit_code == 0
    assert "Organizer" not in result.output


def test_missing_file_is_exit_1_with_message(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 1
    assert "nope.yaml:1:1: file not found" in result.output
    assert "Traceback" not in result.output


def test_json_of_valid_campaign_lists_warnings(runner: CliRunner) -> None:
    result = runner.invoke(app, ["validate", "--format", "json", str(BASE)])
    assert result.exit_code == 0
    items = json.loads(result.stdout)
    assert [i["rule"] for i in items] == ["tax.ndfl"]
    assert items[0]["severity"] == "warning"
    assert items[0]["path"] == "prizes[1].value_rub"
    assert items[0]["pointer"] == "/prizes/1/value_rub"


def test_validate_does_not_load_heavy_commands() -> None:
    probe = (
        "import sys; from campaignctl.cli.main import load_command; load_command('validate');"
        "heavy = [m for m in ('weasyprint', 'pulumi', 'cookiecutter', 'numpy', 'sqlalchemy')"
        " if m in sys.modules]; print(heavy)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_every_registered_command_loads() -> None:
    for name in COMMANDS:
        assert load_command(name).name == name
