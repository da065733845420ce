"""`campaignctl codes ...` through the real boundary: exit codes and messages."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from campaignctl.cli.main import app

BASE = Path(__file__).parent.parent / "spec" / "fixtures" / "base.yaml"


@pytest.fixture
def campaign(tmp_path: Path) -> Path:
    path = tmp_path / "campaign.yaml"
    shutil.copy(BASE, path)
    return path


def _run(runner: CliRunner, *args: str | Path) -> tuple[int, str]:
    result = runner.invoke(app, ["codes", *map(str, args)])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def _codes(folder: Path) -> list[str]:
    with (folder / "run-1-001.csv").open() as handle:
        return [row["code"] for row in csv.DictReader(handle)]


def test_generate_check_void_list_info(runner: CliRunner, campaign: Path) -> None:
    code, out = _run(runner, "generate", campaign, "--batch", "run-1", "--count", "1000")
    assert code == 0, out
    assert "batch run-1: 1,000 codes, serials 0-999" in out
    codes = _codes(campaign.parent / "print" / "run-1")

    code, out = _run(runner, "check", campaign, codes[3])
    assert code == 0, out
    assert "valid: batch run-1 (generated), serial 3" in out

    typo = codes[3][:-1] + ("2" if codes[3][-1] != "2" else "3")
    code, out = _run(runner, "check", campaign, typo)
    assert code == 1
    assert "typo" in out

    code, out = _run(runner, "void", campaign, "--batch", "run-1", "--serials", "0-9")
    assert code == 0, out
    assert "10 code(s) newly voided" in out
    code, out = _run(runner, "check", campaign, codes[3])
    assert code == 1
    assert "voided" in out

    code, out = _run(runner, "list", campaign)
    assert code == 0, out
    assert "run-1" in out and "990" in out

    code, out = _run(runner, "info", campaign)
    assert code == 0, out
    assert "36,028,797,018,963,968" in out  # 32**11
    assert "damm" in out


def test_generate_refuses_a_second_run_of_a_batch(runner: CliRunner, campaign: Path) -> None:
    assert _run(runner, "generate", campaign, "--batch", "run-1", "--count", "5")[0] == 0
    code, out = _run(runner, "generate", campaign, "--batch", "run-1", "--count", "5")
    assert code == 1
    assert "batch 'run-1' already exists" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["generate", "--batch", "b", "--count", "-3"], "count must be a positive"),
        (["generate", "--batch", "b", "--count", "9000000"], "codes.count = 5,000,000"),
        (["void", "--batch", "nope"], "no batch named 'nope'"),
        (["void", "--batch", "b", "--serials", "7"], "is not a range"),
        (["check", "X"], "no codes have been generated"),
    ],
)
def test_bad_input_is_exit_1_with_message(
    runner: CliRunner, campaign: Path, args: list[str], message: str
) -> None:
    code, out = _run(runner, args[0], campaign, *args[1:])
    assert code == 1
    assert message in out
    assert not (campaign.parent / "print").exists()


def test_malformed_misprint_file(runner: CliRunner, campaign: Path, tmp_path: Path) -> None:
    _run(runner, "generate", campaign, "--batch", "run-1", "--count", "20")
    bad = tmp_path / "misprints.txt"
    bad.write_text(_codes(campaign.parent / "print" / "run-1")[0] + "\ngarbage\n")
    code, out = _run(runner, "void", campaign, "--batch", "run-1", "--file", bad)
    assert code == 1
    assert "line 2" in out and "nothing was voided" in out


def test_missing_key_file(runner: CliRunner, campaign: Path) -> None:
    _run(runner, "generate", campaign, "--batch", "run-1", "--count", "5")
    (campaign.parent / ".campaignctl" / "codes.key").unlink()
    code, out = _run(runner, "check", campaign, "ABCD")
    assert code == 1
    assert "codes key file is missing" in out
    assert "hint: restore" in out


def test_import_reports_lines(runner: CliRunner, campaign: Path, tmp_path: Path) -> None:
    text = campaign.read_text().replace("codes:\n  count", "codes:\n  scheme: imported\n  count")
    campaign.write_text(text)
    source = tmp_path / "client.txt"
    source.write_text("AAAA1111\nAAAA1111\n")
    code, out = _run(runner, "import", campaign, source, "--batch", "c1")
    assert code == 1
    assert "line 2: duplicate of line 1" in out
    source.write_text("AAAA1111\nBBBB2222\n")
    code, out = _run(runner, "import", campaign, source, "--batch", "c1")
    assert code == 0, out
    assert "2 codes imported" in out
    assert _run(runner, "check", campaign, "bbbb-2222")[0] == 0


def test_rotate_key(runner: CliRunner, campaign: Path) -> None:
    code, out = _run(runner, "rotate-key", campaign)
    assert code == 1
    assert "no codes have been generated" in out
    _run(runner, "generate", campaign, "--batch", "run-1", "--count", "5")
    old = _codes(campaign.parent / "print" / "run-1")[0]
    code, out = _run(runner, "rotate-key", campaign)
    assert code == 0, out
    assert "key version 2 added" in out
    assert _run(runner, "check", campaign, old)[0] == 0
    assert "versions: v1, v2" in _run(runner, "info", campaign)[1]


def test_mark(runner: CliRunner, campaign: Path) -> None:
    _run(runner, "generate", campaign, "--batch", "run-1", "--count", "5")
    code, out = _run(runner, "mark", campaign, "--batch", "run-1", "--state", "printed")
    assert code == 0, out
    assert "batch run-1: printed" in out
    code, out = _run(runner, "mark", campaign, "--batch", "run-1", "--state", "sent_to_printer")
    assert code == 1
    assert "cannot become sent_to_printer" in out
