"""The report as named tables: the same rows feed the HTML, the CSV files and the JSON."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Connection, func, inspect, select

from campaignctl.budget import Estimate
from campaignctl.draws.book import all_rounds
from campaignctl.draws.tables import winners
from campaignctl.model import Campaign
from campaignctl.registration import CHANNEL_LABELS, OUTCOME_LABELS
from campaignctl.reports.figures import Figures
from campaignctl.winners.taxes import tax_lines

Cell = str | int | float | None
_CHANNELS: dict[str, str] = {str(k): v for k, v in CHANNEL_LABELS.items()}
_OUTCOMES: dict[str, str] = {str(k): v for k, v in OUTCOME_LABELS.items()}


@dataclass(frozen=True)
class ReportTable:
    name: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]

    def as_json(self) -> list[dict[str, Cell]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


def _share(part: float, whole: float | None) -> float | None:
    return round(part / whole, 4) if whole else None


def base_tables(
    campaign: Campaign, figures: Figures, planned: Estimate, at_actual: Estimate
) -> list[ReportTable]:
    f = figures
    kpi = campaign.campaign.kpi
    return [
        ReportTable(
            "summary",
            "Итоги",
            ("metric", "value"),
            (
                ("registrations", f.registrations),
                ("participants", f.participants),
                ("codes_printed", f.printed_codes),
                ("codes_redeemed", f.redeemed_codes),
                ("conversion", round(f.conversion, 4) if f.conversion is not None else None),
                ("prizes_awarded", sum(p.awarded for p in f.prizes)),
                ("prizes_awarded_rub", round(sum(p.awarded * p.value_rub for p in f.prizes), 2)),
                ("sms_cost_rub", f.sms_cost_rub),
            ),
        ),
        ReportTable(
            "registrations_by_day",
            "Регистрации по дням",
            ("day", "registrations"),
            tuple((d.isoformat(), n) for d, n in f.by_day),
        ),
        ReportTable(
            "registrations_by_channel",
            "Регистрации по каналам",
            ("channel", "label", "registrations"),
            tuple(
                (c, _CHANNELS.get(c, c), n)
                for c, n in sorted(f.by_channel.items(), key=lambda i: -i[1])
            ),
        ),
        ReportTable(
            "registrations_by_outcome",
            "Регистрации по результату",
            ("outcome", "label", "registrations"),
            tuple(
                (o, _OUTCOMES.get(o, o), n)
                for o, n in sorted(f.by_outcome.items(), key=lambda i: -i[1])
            ),
        ),
        ReportTable(
            "participants_by_region",
            "Участники по городам (где указан)",
            ("region", "participants"),
            tuple(f.by_region.items()),
        ),
        ReportTable(
            "codes_by_batch",
            "Коды по тиражам",
            ("batch", "state", "codes", "voided", "usable", "redeemed", "conversion"),
            tuple(
                (
                    b.name,
                    b.state,
                    b.codes,
                    b.voided,
                    b.usable,
                    b.redeemed,
                    _share(b.redeemed, b.usable),
                )
                for b in f.batches
            ),
        ),
        ReportTable(
            "prizes",
            "Призы: выдано и фонд",
            (
                "prize",
                "name",
                "award",
                "quantity",
                "awarded",
                "value_rub",
                "fund_rub",
                "awarded_rub",
            ),
            tuple(
                (
                    p.id,
                    p.name,
                    p.award,
                    p.quantity,
                    p.awarded,
                    p.value_rub,
                    round(p.quantity * p.value_rub, 2),
                    round(p.awarded * p.value_rub, 2),
                )
                for p in f.prizes
            ),
        ),
        ReportTable(
            "budget",
            "Бюджет: план и по фактическим объемам",
            ("line", "item", "planned_rub", "at_actual_rub"),
            (
                *tuple(
                    (a.id, a.item, float(a.amount_rub), float(b.amount_rub))
                    for a, b in zip(planned.lines, at_actual.lines, strict=True)
                ),
                ("total", "Итого", float(planned.total_rub), float(at_actual.total_rub)),
            ),
        ),
        ReportTable(
            "kpi",
            "KPI: цели и факт",
            ("metric", "target", "actual", "achieved"),
            (
                (
                    "participants",
                    kpi.participants,
                    f.participants,
                    _share(f.participants, kpi.participants),
                ),
                (
                    "registrations",
                    kpi.registrations,
                    f.registrations,
                    _share(f.registrations, kpi.registrations),
                ),
                (
                    "redemption_rate",
                    kpi.redemption_rate,
                    round(f.conversion, 4) if f.conversion is not None else None,
                    _share(f.conversion or 0, kpi.redemption_rate)
                    if f.conversion is not None
                    else None,
                ),
            ),
        ),
    ]


def final_tables(conn: Connection, campaign: Campaign) -> list[ReportTable]:
    """Closing figures: draws with their proofs, winners by claim state, NDFL totals."""
    if not inspect(conn).has_table("winners"):
        return []
    picks = Counter(
        (str(r[0]), str(r[1])) for r in conn.execute(select(winners.c.round_id, winners.c.kind))
    )
    rounds = ReportTable(
        "draws",
        "Розыгрыши",
        (
            "round",
            "state",
            "commitment",
            "entries_sha256",
            "entries",
            "winners",
            "reserves",
            "protocol",
        ),
        tuple(
            (
                r.id,
                r.state,
                r.commitment,
                r.entries_sha256,
                r.entries_count,
                picks[r.id, "winner"],
                picks[r.id, "reserve"],
                r.protocol,
            )
            for r in all_rounds(conn)
        ),
    )
    states = ReportTable(
        "winners_by_state",
        "Победители по статусу получения приза",
        ("claim_state", "winners"),
        tuple(
            (str(s), int(n))
            for s, n in conn.execute(
                select(winners.c.claim_state, func.count())
                .group_by(winners.c.claim_state)
                .order_by(winners.c.claim_state)
            )
        ),
    )
    lines = tax_lines(conn, campaign)
    by_year: dict[int, list[Decimal]] = {}
    for line in lines:
        totals = by_year.setdefault(line.year, [Decimal(0), Decimal(0), Decimal(0), Decimal(0)])
        totals[0] += 1
        totals[1] += line.value_rub
        totals[2] += line.cash_part_rub
        totals[3] += line.ndfl_rub
    ndfl = ReportTable(
        "ndfl",
        "НДФЛ с призов (налоговый агент — организатор)",
        ("year", "winners_taxed", "prizes_rub", "cash_parts_rub", "ndfl_rub"),
        tuple(
            (y, int(t[0]), float(t[1]), float(t[2]), float(t[3]))
            for y, t in sorted(by_year.items())
        ),
    )
    return [rounds, states, ndfl]
