"""Every file in fixtures/invalid has one defect, named in its header.

The header says ``# expect: rule=RULE line=N``: validation must fail with exit
code 1, report that rule on that line, and never print a traceback.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from campaignctl.cli.main import app
from campaignctl.spec import check_file

FIXTURES = Path(__file__).parent / "fixtures"
INVALID = sorted((FIXTURES / "invalid").glob("*.yaml"))
EXPECT = re.compile(rb"# expect: rule=(\S+) line=(\d+)")


def _expected(path: Path) -> tuple[str, int]:
    match = EXPECT.search(path.read_bytes()[:400])
    assert match, f"{path.name} has no '# expect:' header"
    return match.group(1).decode(), int(match.group(2))


def test_there_are_enough_cases() -> None:
    assert len(INVALID) >= 30


def test_base_is_valid() -> None:
    report = check_file(FIXTURES / "base.yaml")
    assert report.ok, [d.render() for d in report.errors]


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_fixture(path: Path, runner: CliRunner) -> None:
    rule, line = _expected(path)
    report = check_file(path)
    assert not report.ok
    found = [(d.rule, d.line) for d in report.errors]
    assert (rule, line) in found, f"expected {rule} on line {line}, got {found}"

    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert f"{path}:{line}:" in result.output


@pytest.mark.parametrize("path", INVALID[:5], ids=lambda p: p.stem)
def test_invalid_fixture_json(path: Path, runner: CliRunner) -> None:
    rule, line = _expected(path)
    result = runner.invoke(app, ["validate", str(path), "--format", "json"])
    assert result.exit_code == 1
    items = json.loads(result.stdout)
    assert {"path", "line", "column", "pointer", "severity", "message", "hint"} <= set(items[0])
    assert any(i["rule"] == rule and i["line"] == line for i in items)
