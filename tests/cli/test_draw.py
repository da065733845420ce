"""`campaignctl draw`: commit, draw, draw twice, nothing to draw, verify, tampered protocol."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from typer.testing import CliRunner

from campaignctl.cli.main import app
from tests.draws.seeding import Seeder, copy_example

MSK = ZoneInfo("Europe/Moscow")


def _campaign(tmp_path: Path) -> Path:
    seeder = Seeder.open(copy_example("bottle-caps", tmp_path))
    with seeder.engine.begin() as conn:
        for i in range(25):
            seeder.register(conn, f"+7903{i:07d}", datetime(2027, 6, 8, 10 + i % 8, tzinfo=MSK))
    seeder.engine.dispose()
    return seeder.campaign.source


def test_commit_draw_and_verify(runner: CliRunner, tmp_path: Path) -> None:
    spec = _campaign(tmp_path)
    committed = runner.invoke(app, ["draw", str(spec), "--round", "week-01", "--commit-only"])
    assert committed.exit_code == 0, committed.output
    commitment = committed.output.split()[-1]
    assert len(commitment) == 64

    drawn = runner.invoke(app, ["draw", str(spec), "--round", "week-01"])
    assert drawn.exit_code == 0, drawn.output
    assert "11 winners and 4 reserves drawn from 25 entries" in drawn.output
    assert commitment in drawn.output
    protocol = spec.parent / "draws" / "week-01" / "protocol.json"

    verified = runner.invoke(app, ["draw", "verify", str(protocol)])
    assert verified.exit_code == 0, verified.output
    assert "protocol of round week-01 verified" in verified.output

    again = runner.invoke(app, ["draw", str(spec), "--round", "week-01"])
    assert again.exit_code == 1
    assert "was drawn already" in again.output and "Traceback" not in again.output


def test_a_round_without_entries_exits_1(runner: CliRunner, tmp_path: Path) -> None:
    spec = _campaign(tmp_path)
    result = runner.invoke(app, ["draw", str(spec), "--round", "week-05"])
    assert result.exit_code == 1
    assert "has no eligible entries" in result.output
    assert not (spec.parent / "draws").exists()


def test_an_unknown_round_names_the_known_ones(runner: CliRunner, tmp_path: Path) -> None:
    spec = _campaign(tmp_path)
    result = runner.invoke(app, ["draw", str(spec), "--round", "week-99"])
    assert result.exit_code == 1
    assert "no draw round 'week-99'" in result.output and "week-01" in result.output


def test_a_tampered_protocol_exits_1(runner: CliRunner, tmp_path: Path) -> None:
    spec = _campaign(tmp_path)
    assert runner.invoke(app, ["draw", str(spec), "--round", "week-01"]).exit_code == 0
    protocol = spec.parent / "draws" / "week-01" / "protocol.json"
    raw = json.loads(protocol.read_text())
    raw["picks"][0]["entry_id"], raw["picks"][-1]["entry_id"] = (
        raw["picks"][-1]["entry_id"],
        raw["picks"][0]["entry_id"],
    )
    protocol.write_text(json.dumps(raw))
    result = runner.invoke(app, ["draw", "verify", str(protocol)])
    assert result.exit_code == 1
    assert "verification failed" in result.output and "Traceback" not in result.output
