"""The runtime serves the draws' public data: commitments, published files, draw winners."""

from __future__ import annotations

import hashlib
from pathlib import Path

from fastapi.testclient import TestClient

from campaignctl.runtime.app import create_app
from tests.draws.seeding import drawn_bottle_caps


def test_draw_data_on_the_site_api(tmp_path: Path) -> None:
    seeder = drawn_bottle_caps(tmp_path)
    seeder.engine.dispose()
    app = create_app(seeder.campaign)
    with TestClient(app) as client:
        rounds = client.get("/api/v1/draws").json()["draws"]
        week1 = rounds[0]
        assert week1["round"] == "week-01" and week1["state"] == "drawn"
        assert hashlib.sha256(bytes.fromhex(week1["seed"])).hexdigest() == week1["commitment"]
        assert {r["state"] for r in rounds[1:]} == {"planned"}

        entries = client.get("/api/v1/draws/week-01/entries.csv")
        assert entries.status_code == 200
        assert hashlib.sha256(entries.content).hexdigest() == week1["entries_sha256"]
        assert client.get("/api/v1/draws/week-01/protocol.json").json()["seed"] == week1["seed"]
        assert client.get("/api/v1/draws/week-02/protocol.json").status_code == 404
        assert client.get("/api/v1/draws/week-01/state.db").status_code == 404
        assert client.get("/api/v1/draws/nope/entries.csv").status_code == 404

        winners = client.get("/api/v1/winners").json()["winners"]
        drawn = [w for w in winners if w["draw"] == "week-01"]
        assert len(drawn) == 11
        assert all(w["winner"].startswith("+7 *** ***-") for w in drawn)
