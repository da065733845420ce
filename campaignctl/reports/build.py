"""Write a campaign report: report.html (charts inline), report.json, csv/TABLE.csv, and,
for the final report, report.pdf.

Reports land in ``<campaign folder>/reports/<YYYY-MM-DD>/`` (the campaign's
local date) or ``reports/final/`` unless an output folder is given. A final
report's presence is what lets ``campaignctl down`` proceed.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from campaignctl.budget import PRICE_TABLE_DATE, PRICE_TABLE_SOURCE, estimate
from campaignctl.model import Campaign
from campaignctl.render.environment import environment, render_template
from campaignctl.reports import charts
from campaignctl.reports.figures import Figures, collect
from campaignctl.reports.tables import ReportTable, base_tables, final_tables
from campaignctl.runtime.sealing import Sealer

GROUP = "report"
REPORTS_DIR = "reports"
FINAL_DIR = "final"
Clock = Callable[[], datetime]


@dataclass(frozen=True)
class Written:
    folder: Path
    files: tuple[Path, ...]
    figures: Figures
    seconds: float


def final_report_path(campaign: Campaign) -> Path:
    return campaign.folder / REPORTS_DIR / FINAL_DIR / "report.json"


def _charts(f: Figures, tables: dict[str, ReportTable]) -> dict[str, str]:
    out = {
        "by_day": charts.by_day(f.by_day, "Регистрации по дням"),
        "by_channel": charts.horizontal(
            [(str(r[1]), float(r[2] or 0)) for r in tables["registrations_by_channel"].rows],
            "Регистрации по каналам",
        ),
        "by_region": charts.horizontal(list(f.by_region.items())[:15], "Участники, топ-15 городов")
        if f.by_region
        else "",
        "batches": charts.horizontal(
            [
                (f"{b.name} (аннулирован)" if b.state == "voided" else b.name, b.redeemed)
                for b in f.batches
            ],
            "Активировано кодов по тиражам",
            colors=[charts.GREY if b.state == "voided" else charts.BLUE for b in f.batches],
        )
        if f.batches
        else "",
        "prizes": charts.paired(
            [p.name[:40] for p in f.prizes],
            [p.quantity for p in f.prizes],
            [p.awarded for p in f.prizes],
            "Призы: фонд (шт.) и выдано",
            ("фонд", "выдано"),
        ),
    }
    budget = [r for r in tables["budget"].rows if r[0] != "total"]
    out["budget"] = charts.paired(
        [str(r[1])[:40] for r in budget],
        [float(r[2] or 0) for r in budget],
        [float(r[3] or 0) for r in budget],
        "Бюджет, руб.",
        ("план", "по факту"),
    )
    kpi = [r for r in tables["kpi"].rows if r[1] is not None]
    out["kpi"] = charts.paired(
        [str(r[0]) for r in kpi],
        [1.0 for _ in kpi],
        [float(r[3] or 0) for r in kpi],
        "KPI: доля цели (1 = 100%)",
        ("цель", "факт"),
    )
    return out


def _csv(table: ReportTable) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.columns)
    writer.writerows(["" if cell is None else cell for cell in row] for row in table.rows)
    return buffer.getvalue().encode("utf-8")


def write_report(
    campaign: Campaign,
    engine: Engine,
    sealer: Sealer | None,
    *,
    final: bool = False,
    out: Path | None = None,
    clock: Clock = lambda: datetime.now(UTC),
) -> Written:
    started = datetime.now(UTC)
    now = clock().astimezone(ZoneInfo(campaign.period.timezone))
    with engine.connect() as conn:
        figures = collect(conn, campaign, sealer)
        closing = final_tables(conn, campaign) if final else []
    planned = estimate(campaign)
    at_actual = estimate(campaign, participants=figures.participants)
    tables = [*base_tables(campaign, figures, planned, at_actual), *closing]
    by_name = {t.name: t for t in tables}
    folder = out or campaign.folder / REPORTS_DIR / (FINAL_DIR if final else now.date().isoformat())
    (folder / "csv").mkdir(parents=True, exist_ok=True)
    html = render_template(
        environment(GROUP, campaign.folder),
        "report.html",
        c=campaign,
        f=figures,
        final=final,
        generated=now,
        charts=_charts(figures, by_name),
        tables=tables,
        prizes_awarded=sum(p.awarded for p in figures.prizes),
        price_note=f"{PRICE_TABLE_SOURCE}, {PRICE_TABLE_DATE}",
    )
    files = [folder / "report.html"]
    files[0].write_text(html, encoding="utf-8")
    for table in tables:
        path = folder / "csv" / f"{table.name}.csv"
        path.write_bytes(_csv(table))
        files.append(path)
    if final:
        from campaignctl.render.pdf import html_to_pdf  # noqa: PLC0415 - WeasyPrint imports slowly

        pdf = folder / "report.pdf"
        pdf.write_bytes(html_to_pdf(html, created=now))
        files.append(pdf)
    document = {
        "campaign": campaign.slug,
        "final": final,
        "generated_at": now.isoformat(),
        "tables": {t.name: t.as_json() for t in tables},
    }
    summary = folder / "report.json"
    summary.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    files.append(summary)
    seconds = (datetime.now(UTC) - started).total_seconds()
    return Written(folder, tuple(files), figures, seconds)


def report(campaign: Campaign, *, final: bool = False, out: Path | None = None) -> Written:
    """Open the campaign's state database and write the report (see :func:`write_report`)."""
    from campaignctl.winners.store import campaign_store  # noqa: PLC0415 - avoids an import cycle

    with campaign_store(campaign) as (engine, sealer):
        return write_report(campaign, engine, sealer, final=final, out=out)
