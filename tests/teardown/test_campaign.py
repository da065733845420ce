"""A whole small campaign on the local stack, from codes to `down`.

Generate codes (one batch voided), stand the server up on a rehearsal clock,
register a few hundred codes through the HTTP API in two weeks, draw both
weeks, verify both protocols, write the final report, take it down; then check
the archive, that no personal data is left in the state folder, and that the
draws verify from the archive alone.
"""

from __future__ import annotations

import csv
import json
import re
import tarfile
from pathlib import Path

import httpx
from typer.testing import CliRunner

from campaignctl.cli.main import app
from campaignctl.runtime import process
from campaignctl.spec import load_campaign
from campaignctl.teardown.archive import check_archive
from tests.conftest import free_port
from tests.draws.seeding import copy_example


def _ok(result: object) -> str:
    output = str(getattr(result, "output", ""))
    assert getattr(result, "exit_code", 1) == 0, output
    return output


def _codes(folder: Path, batch: str) -> list[str]:
    rows = []
    for path in sorted((folder / "print" / batch).glob("*.csv")):
        with path.open(encoding="utf-8") as f:
            rows += [r[1] for r in csv.reader(f) if r and r[0].isdigit()]
    return rows


def _register(base: str, codes: list[str], phones: int, offset: int) -> dict[str, int]:
    outcomes: dict[str, int] = {}
    with httpx.Client(base_url=base, timeout=10) as client:
        for i, code in enumerate(codes):
            body = {
                "code": code,
                "phone": f"+7916{(offset + i % phones):07d}",
                "consent": True,
                "age_confirmed": True,
            }
            answer = client.post("/api/v1/registrations", json=body)
            key = str(answer.json().get("outcome", answer.status_code))
            outcomes[key] = outcomes.get(key, 0) + 1
    return outcomes


def test_a_small_campaign_end_to_end(runner: CliRunner, tmp_path: Path) -> None:
    campaign = copy_example("bottle-caps", tmp_path)
    source = campaign.source
    text = source.read_text(encoding="utf-8")
    text = re.sub(
        r"max_attempts_per_ip_per_hour: \d+", "max_attempts_per_ip_per_hour: 100000", text
    )
    source.write_text(text, encoding="utf-8")
    spec = str(source)
    folder = source.parent

    _ok(runner.invoke(app, ["codes", "generate", spec, "--batch", "wave-1", "--count", "400"]))
    _ok(runner.invoke(app, ["codes", "generate", spec, "--batch", "wave-2", "--count", "20"]))
    _ok(runner.invoke(app, ["codes", "void", spec, "--batch", "wave-2", "--serials", "400-419"]))
    good, voided = _codes(folder, "wave-1"), _codes(folder, "wave-2")
    assert len(good) == 400 and len(voided) == 20

    port = free_port()
    try:
        _ok(
            runner.invoke(
                app,
                [
                    "up",
                    spec,
                    "--detach",
                    "--port",
                    str(port),
                    "--clock",
                    "2027-06-08T12:00:00+03:00",
                ],
            )
        )
        base = f"http://127.0.0.1:{port}"
        week1 = _register(base, good[:160], phones=90, offset=0)
        refused = _register(base, voided[:5], phones=5, offset=500)
        assert set(week1) <= {"draw_entry", "instant_win"} and sum(week1.values()) == 160
        assert refused == {"422": 5}  # voided codes are not codes any more
        _ok(runner.invoke(app, ["draw", spec, "--round", "week-02", "--commit-only"]))
        _ok(runner.invoke(app, ["stop", spec]))
        _ok(
            runner.invoke(
                app,
                [
                    "up",
                    spec,
                    "--detach",
                    "--port",
                    str(port),
                    "--clock",
                    "2027-06-15T12:00:00+03:00",
                ],
            )
        )
        week2 = _register(base, good[160:320], phones=90, offset=60)
        assert set(week2) <= {"draw_entry", "instant_win"} and sum(week2.values()) == 160

        protocols = []
        for week in ("week-01", "week-02"):
            out = _ok(runner.invoke(app, ["draw", spec, "--round", week]))
            assert "11 winners and 4 reserves" in out
            protocols.append(folder / "draws" / week / "protocol.json")
        for protocol in protocols:
            _ok(runner.invoke(app, ["draw", "verify", str(protocol)]))
        entries = json.loads(protocols[0].read_text())["entries"]
        assert (entries["count"], entries["persons"]) == (160, 90)

        shown = httpx.get(f"{base}/api/v1/winners", timeout=10).json()["winners"]
        assert sum(1 for w in shown if w["draw"] in ("week-01", "week-02")) == 22
        commitments = httpx.get(f"{base}/api/v1/draws", timeout=10).json()["draws"]
        assert [r["state"] for r in commitments[:3]] == ["drawn", "drawn", "planned"]

        refusal = runner.invoke(app, ["down", spec, "--yes"])
        assert refusal.exit_code == 1 and "still running" in refusal.output
        assert process.running(load_campaign(source)) is not None
        assert (folder / ".campaignctl" / "state.db").exists()

        _ok(runner.invoke(app, ["report", spec, "--final"]))
        down = _ok(runner.invoke(app, ["down", spec, "--yes"]))
        assert "stopped the local server" in down
    finally:
        process.stop(load_campaign(source))

    assert process.running(load_campaign(source)) is None
    _check_nothing_personal_left(folder)
    _check_archive(runner, folder, tmp_path / "unpacked")


PHONE = re.compile(rb"\+79160\d{6}")


def _check_nothing_personal_left(folder: Path) -> None:
    state = folder / ".campaignctl"
    assert {p.name for p in state.iterdir()} <= {".gitignore"}
    assert not (folder / "print").exists()
    for path in folder.rglob("*"):
        if path.is_file() and "archive" not in path.parts:
            assert not PHONE.search(path.read_bytes()), path


def _check_archive(runner: CliRunner, folder: Path, unpacked: Path) -> None:
    (archive,) = (folder / "archive").glob("*.tar.gz")
    assert check_archive(archive)
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
        tar.extractall(unpacked, filter="data")
    assert {
        "campaign/campaign.yaml",
        "reports/final/report.html",
        "reports/final/report.pdf",
        "reports/final/report.json",
        "draws/week-01/protocol.json",
        "draws/week-01/entries.csv",
        "draws/week-02/protocol.pdf",
        "tax/ndfl.csv",
        "tax/winners.json",
        "statistics/report.json",
        "MANIFEST.json",
    } <= names
    assert not any(
        PHONE.search((unpacked / n).read_bytes()) for n in names if (unpacked / n).is_file()
    )
    for week in ("week-01", "week-02"):
        _ok(
            runner.invoke(app, ["draw", "verify", str(unpacked / "draws" / week / "protocol.json")])
        )
    ndfl = list(csv.DictReader((unpacked / "tax" / "ndfl.csv").open(encoding="utf-8")))
    assert len(ndfl) >= 20  # every draw prize is above 4,000 RUB
