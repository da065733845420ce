"""`campaignctl new` through the CLI: flags, prompts on stdin and on a real terminal."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

from typer.testing import CliRunner

from campaignctl.cli.main import app
from campaignctl.spec.loader import load_document


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_no_input_creates_a_valid_campaign(runner: CliRunner, tmp_path: Path) -> None:
    dest = tmp_path / "vkusno-2027"
    result = runner.invoke(
        app,
        ["new", str(dest), "--template", "receipts", "--no-input", "--set", "min_total_rub=650"],
    )
    assert result.exit_code == 0, result.output
    assert "from template 'receipts'" in result.output
    assert "organizer_inn = 0000000000" in result.output
    assert f"{dest / 'campaign.yaml'}: valid" in result.output
    data = load_document(dest / "campaign.yaml").data
    assert data["mechanics"]["receipts"]["min_total_rub"] == 650


def test_bad_input_is_exit_1_without_traceback(runner: CliRunner, tmp_path: Path) -> None:
    cases = [
        (["--template", "lottery"], "unknown template 'lottery'"),
        (["--set", "colour=red"], "has no question 'colour'"),
        (["--set", "colour"], "expected KEY=VALUE"),
        (["--set", "codes_count=lots"], "codes.count"),
    ]
    for args, message in cases:
        result = runner.invoke(app, ["new", str(tmp_path / "c"), "--no-input", *args])
        assert result.exit_code == 1, (args, result.output)
        assert message in result.output, (args, result.output)
        assert "Traceback" not in result.output
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "x").write_text("x")
    result = runner.invoke(app, ["new", str(tmp_path / "busy"), "--no-input"])
    assert result.exit_code == 1
    assert "not empty" in result.output
    assert _names(tmp_path) == ["busy"]


# The loyalty template's questions in order; "" keeps the default.
LOYALTY_ANSWERS = {
    "client": "Lenta",
    "brand": "Лента",
    "campaign_name": "",
    "start": "2027-03-01",
    "window_end": "2027-03-31",
    "end": "2027-05-15",
    "slug": "",
    "site_url": "",
    "organizer_legal_name": "",
    "organizer_inn": "7707083893",
    "organizer_ogrn": "1027700132195",
    "organizer_address": "",
    "organizer_email": "",
    "program": "",
    "min_purchases": "5",
    "min_purchase_rub": "",
    "gift_name": "",
    "gift_value_rub": "1500",
    "gift_quantity": "",
    "fulfilment": "2",  # the second choice: delivery
    "voucher_valid_days": "",
    "expected_participants": "",
    "budget_cap_rub": "",
}


def _check_loyalty(dest: Path) -> None:
    data = load_document(dest / "campaign.yaml").data
    assert data["campaign"]["brand"] == "Лента"
    assert data["campaign"]["slug"] == dest.name
    assert data["period"]["start"] == "2027-03-01"
    assert data["mechanics"]["loyalty"]["criteria"]["min_purchases"] == 5
    assert data["mechanics"]["loyalty"]["fulfilment"] == ["delivery"]
    assert data["prizes"][0]["value_rub"] == 1500
    assert data["organizer"]["inn"] == "7707083893"
    assert data["rules"]["claim"]["deadline"] == "не позднее 15.05.2027"
    answers = json.loads((dest / "campaign.answers.json").read_text(encoding="utf-8"))
    assert answers["cookiecutter"]["min_purchases"] == "5"
    assert answers["cookiecutter"]["fulfilment"] == "delivery"


def test_prompts_on_stdin_produce_the_answers_given(runner: CliRunner, tmp_path: Path) -> None:
    dest = tmp_path / "lenta-gifts-2027"
    stdin = "".join(f"{answer}\n" for answer in LOYALTY_ANSWERS.values())
    result = runner.invoke(app, ["new", str(dest), "-t", "loyalty"], input=stdin)
    assert result.exit_code == 0, result.output
    assert "Gift value, RUB" in result.output  # the template's own wording of the question
    _check_loyalty(dest)


def test_running_out_of_answers_is_a_clear_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["new", str(tmp_path / "c"), "-t", "loyalty"], input="Lenta\n")
    assert result.exit_code == 1
    assert "--no-input" in result.output
    assert not (tmp_path / "c").exists()


def _read_until(fd: int, needle: str, seen: list[str], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while needle not in seen[0]:
        left = deadline - time.monotonic()
        assert left > 0, f"no {needle!r} on the terminal; got {seen[0][-500:]!r}"
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the child closed the terminal
                chunk = b""
            assert chunk, f"terminal closed before {needle!r}; got {seen[0][-500:]!r}"
            seen[0] += chunk.decode("utf-8", "replace")


def test_prompts_on_a_terminal_produce_the_answers_given(tmp_path: Path) -> None:
    dest = tmp_path / "lenta-gifts-2027"
    master, slave = pty.openpty()
    code = "from campaignctl.cli.main import run; run()"
    env = {**os.environ, "COLUMNS": "200", "TERM": "dumb"}
    process = subprocess.Popen(
        [sys.executable, "-c", code, "new", str(dest), "--template", "loyalty"],
        stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True,
    )  # fmt: skip
    os.close(slave)
    seen = [""]
    try:
        for index, answer in enumerate(LOYALTY_ANSWERS.values(), start=1):
            _read_until(master, f"[{index}/{len(LOYALTY_ANSWERS)}]", seen)
            _read_until(master, ":", seen)
            os.write(master, f"{answer}\r".encode())
        _read_until(master, "valid", seen)
        assert process.wait(timeout=30) == 0, seen[0]
    finally:
        if process.poll() is None:
            process.kill()
        os.close(master)
    _check_loyalty(dest)
