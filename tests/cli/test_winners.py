"""`campaignctl winners`: list, set-state, tax-data, tax, export."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from campaignctl.cli.main import app
from campaignctl.winners.claims import list_winners
from tests.draws.seeding import Seeder, drawn_bottle_caps


@pytest.fixture
def drawn(tmp_path: Path) -> Seeder:
    return drawn_bottle_caps(tmp_path)


def test_winners_commands(runner: CliRunner, drawn: Seeder, tmp_path: Path) -> None:
    spec = str(drawn.campaign.source)
    listed = runner.invoke(app, ["winners", "list", spec, "--round", "week-01"])
    assert listed.exit_code == 0, listed.output
    assert listed.output.count("+7 *** ***-") == 15
    with drawn.engine.connect() as conn:
        scooter = next(
            w for w in list_winners(conn) if w.prize_id == "scooter" and w.kind == "winner"
        )
    wid = str(scooter.id)

    moved = runner.invoke(app, ["winners", "set-state", spec, wid, "notified"])
    assert moved.exit_code == 0 and f"winner {wid}: notified" in moved.output
    bad = runner.invoke(app, ["winners", "set-state", spec, wid, "drawn"])
    assert bad.exit_code == 1 and "unknown claim state" in bad.output

    data = tmp_path / "tax.json"
    data.write_text(
        json.dumps({"full_name": "Иванов Иван Иванович", "address": "г. Москва, ул. Ленина, 1"})
    )
    stored = runner.invoke(app, ["winners", "tax-data", spec, wid, "--file", str(data)])
    assert stored.exit_code == 0, stored.output
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps({"salary": "1"}))
    refused = runner.invoke(app, ["winners", "tax-data", spec, wid, "--file", str(wrong)])
    assert refused.exit_code == 1 and "unknown tax data fields: salary" in refused.output

    taxed = runner.invoke(app, ["winners", "tax", spec, "--json"])
    assert taxed.exit_code == 0, taxed.output
    lines = json.loads(taxed.output)
    assert len(lines) == 11  # every prize of the round is above 4,000 RUB
    assert {line["cash_part_rub"] for line in lines} == {"538.47", "22076.93"}

    out = tmp_path / "prizes.csv"
    exported = runner.invoke(app, ["winners", "export", spec, "--out", str(out)])
    assert exported.exit_code == 0, exported.output
    assert out.stat().st_mode & 0o777 == 0o600
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == 11
    mine = next(r for r in rows if r["winner_id"] == wid)
    assert mine["full_name"] == "Иванов Иван Иванович" and mine["phone"].startswith("+7926")
    assert mine["address"] == "г. Москва, ул. Ленина, 1" and mine["claim_state"] == "notified"
