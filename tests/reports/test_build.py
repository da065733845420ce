from __future__ import annotations

import csv
import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from campaignctl.reports.build import report, write_report
from campaignctl.runtime import hooks, plugins
from campaignctl.runtime.app import build_context
from campaignctl.store import CodeStore
from tests.draws.seeding import Seeder, copy_example

MSK = ZoneInfo("Europe/Moscow")


def _seeded(tmp_path: Path) -> Seeder:
    seeder = Seeder.open(copy_example("bottle-caps", tmp_path))
    store = CodeStore(seeder.engine)
    good = store.allocate("run-1", 1000, "keyed")
    bad = store.allocate("run-2", 500, "keyed")
    assert good is not None and bad is not None
    store.set_state(good.id, "shipped")
    store.add_voids(good.id, [(0, 199)], "misprint")  # 800 usable
    store.set_state(bad.id, "voided")
    for serial in range(200, 240):
        assert store.redeem(serial, good.id)
    with seeder.engine.begin() as conn:
        for i in range(40):
            day = datetime(2027, 6, 7 + i % 3, 23 if i % 2 else 1, 30, tzinfo=MSK)
            seeder.register(
                conn,
                f"+7915{i % 30:07d}",
                day,
                batch="run-1",
                serial=200 + i,
                channel="sms" if i % 4 == 0 else "site",
                prize="cooler-bag" if i == 5 else None,
            )
    return seeder


def test_figures_tables_and_files(tmp_path: Path) -> None:
    seeder = _seeded(tmp_path)
    written = write_report(seeder.campaign, seeder.engine, seeder.sealer, out=tmp_path / "out")
    tables = json.loads((written.folder / "report.json").read_text())["tables"]
    summary = {row["metric"]: row["value"] for row in tables["summary"]}
    assert summary["registrations"] == 40 and summary["participants"] == 30
    assert summary["codes_printed"] == 800 and summary["codes_redeemed"] == 40
    assert summary["conversion"] == 0.05
    # days in Moscow time: 01:30 and 23:30 local fall on the same local day
    assert [(r["day"], r["registrations"]) for r in tables["registrations_by_day"]] == [
        ("2027-06-07", 14),
        ("2027-06-08", 13),
        ("2027-06-09", 13),
    ]
    assert {r["channel"]: r["registrations"] for r in tables["registrations_by_channel"]} == {
        "site": 30,
        "sms": 10,
    }
    assert tables["participants_by_region"] == [{"region": "Москва", "participants": 30}]
    batches = {r["batch"]: r for r in tables["codes_by_batch"]}
    assert batches["run-1"]["usable"] == 800 and batches["run-1"]["redeemed"] == 40
    assert batches["run-2"]["state"] == "voided" and batches["run-2"]["usable"] == 0
    prizes = {r["prize"]: r for r in tables["prizes"]}
    assert prizes["cooler-bag"]["awarded"] == 1
    kpi = {r["metric"]: r for r in tables["kpi"]}
    assert kpi["participants"] == {
        "metric": "participants",
        "target": 350000,
        "actual": 30,
        "achieved": 0.0001,
    }
    budget = {r["line"]: r for r in tables["budget"]}
    assert budget["total"]["planned_rub"] > budget["total"]["at_actual_rub"] > 0

    rows = list(csv.reader((written.folder / "csv" / "codes_by_batch.csv").open()))
    assert rows[0] == ["batch", "state", "codes", "voided", "usable", "redeemed", "conversion"]
    html = (written.folder / "report.html").read_text()
    assert html.count("<svg") >= 6 and "run-2 (аннулирован)" in html
    assert "<script" not in html and "http" not in html.split("<body>")[1].split("svg")[0]
    assert not (written.folder / "report.pdf").exists()


def test_the_runtime_writes_a_daily_report(tmp_path: Path) -> None:
    seeder = _seeded(tmp_path)
    plugins.install()
    job = next(j for j in hooks.JOBS if j.name == "daily-report")
    assert job.interval_seconds == 24 * 3600
    ctx = build_context(seeder.campaign, clock=lambda: datetime(2027, 6, 10, 9, tzinfo=MSK))
    job.run(ctx)
    ctx.engine.dispose()
    assert (seeder.campaign.folder / "reports" / "2027-06-10" / "report.html").is_file()


def test_final_report_adds_closing_tables_and_a_pdf(tmp_path: Path) -> None:
    seeder = _seeded(tmp_path)
    seeder.engine.dispose()
    written = report(seeder.campaign, final=True)
    assert written.folder == seeder.campaign.folder / "reports" / "final"
    assert (written.folder / "report.pdf").read_bytes().startswith(b"%PDF")
    tables = json.loads((written.folder / "report.json").read_text())["tables"]
    assert {"draws", "winners_by_state", "ndfl"} <= set(tables)
