"""Draw and report on PostgreSQL and MariaDB: the same SQL (eligibility, local days) on every engine."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from campaignctl.draws import verify
from campaignctl.draws.service import draw_round
from campaignctl.reports.build import write_report
from campaignctl.state import DATABASE_URL_ENV
from tests.draws.seeding import Seeder, copy_example
from tests.store.conftest import mariadb_url, postgres_url

MSK = ZoneInfo("Europe/Moscow")


@pytest.fixture(
    params=[
        pytest.param(postgres_url, marks=pytest.mark.postgres, id="postgres"),
        pytest.param(mariadb_url, marks=pytest.mark.mariadb, id="mariadb"),
    ]
)
def server_url(request: pytest.FixtureRequest) -> Iterator[str]:
    make: Callable[[], AbstractContextManager[str]] = request.param
    with make() as url:
        yield url


def test_draw_and_report_on_a_server_database(
    server_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(DATABASE_URL_ENV, server_url)
    seeder = Seeder.open(copy_example("bottle-caps", tmp_path))
    with seeder.engine.begin() as conn:
        for i in range(30):
            seeder.register(
                conn, f"+7917{i:07d}", datetime(2027, 6, 7 + i % 2, 23 if i % 3 else 1, tzinfo=MSK)
            )
    drawn = draw_round(seeder.campaign, "week-01")
    assert drawn.protocol.entries_count == 30
    verify(drawn.folder / "protocol.json")
    written = write_report(seeder.campaign, seeder.engine, seeder.sealer, out=tmp_path / "out")
    tables = json.loads((written.folder / "report.json").read_text())["tables"]
    days = {r["day"]: r["registrations"] for r in tables["registrations_by_day"]}
    assert days == {"2027-06-07": 15, "2027-06-08": 15}
    seeder.engine.dispose()
