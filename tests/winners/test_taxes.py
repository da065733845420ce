"""NDFL worked by hand (Tax Code art. 217 p. 28, art. 224 p. 2, art. 52 p. 6).

| participant | prizes in 2027            | V        | C = 0.35(V-4000)/0.65 | base V+C-4000 | NDFL 35%, whole RUB |
|-------------|---------------------------|----------|-----------------------|---------------|---------------------|
| A           | cert-5000                 | 5,000    | 538.47                | 1,538.47      | 538                 |
| B           | scooter                   | 45,000   | 22,076.93             | 63,076.93     | 22,077              |
| C           | speaker (instant) + cert  | 8,990    | 2,686.93              | 7,676.93      | 2,687               |
| D           | cooler-bag + speaker      | 5,190    | 640.77                | 1,830.77      | 641                 |
| E           | speaker                   | 3,990    | within the exemption                                         |
| F           | cert-5000, refused        | 0        | nothing                                                      |
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import delete

from campaignctl.draws.book import WinnerRow, add_commitment, add_winners
from campaignctl.draws.tables import winners
from campaignctl.winners.taxes import cash_part, tax_lines
from tests.draws.seeding import Seeder

WHEN = datetime(2027, 6, 17, 9, tzinfo=UTC)


def _winner(person: int, prize: str, value: int, rank: int, state: str = "drawn") -> WinnerRow:
    return WinnerRow(
        "week-01", prize, "winner", rank, f"reg-{rank}", person, "p", "+7", value * 100, state
    )


def test_ndfl_per_participant_and_year(drawn: Seeder) -> None:
    at = datetime(2027, 6, 10, 10, tzinfo=UTC)
    with drawn.engine.begin() as conn:
        conn.execute(delete(winners))
        ids = {name: drawn.participant(conn, f"+7900000000{i}") for i, name in enumerate("ABCDEF")}
        add_commitment(conn, "week-02", "0" * 64, b"x", WHEN)
        add_winners(
            conn,
            [
                _winner(ids["A"], "cert-5000", 5000, 1),
                _winner(ids["B"], "scooter", 45000, 2),
                _winner(ids["C"], "cert-5000", 5000, 3),
                _winner(ids["F"], "cert-5000", 5000, 4, state="refused"),
            ],
            WHEN,
        )
        instant = (("C", "speaker"), ("D", "cooler-bag"), ("D", "speaker"), ("E", "speaker"))
        for i, (person, prize) in enumerate(instant):
            drawn.register(
                conn, f"+7900000000{'ABCDEF'.index(person)}", at, prize=prize, serial=900 + i
            )
        lines = {line.participant_id: line for line in tax_lines(conn, drawn.campaign)}
    by_name = {name: lines.get(pid) for name, pid in ids.items()}
    expected = {
        "A": ("5000", "538.47", "1538.47", "538"),
        "B": ("45000", "22076.93", "63076.93", "22077"),
        "C": ("8990", "2686.93", "7676.93", "2687"),
        "D": ("5190", "640.77", "1830.77", "641"),
    }
    for name, (value, cash, base, ndfl) in expected.items():
        line = by_name[name]
        assert line is not None, name
        assert (line.value_rub, line.cash_part_rub, line.taxable_rub, line.ndfl_rub) == (
            Decimal(value),
            Decimal(cash),
            Decimal(base),
            Decimal(ndfl),
        ), name
        assert line.year == 2027
    assert by_name["E"] is None and by_name["F"] is None


def test_cash_part_of_one_prize_is_the_models() -> None:
    from campaignctl.spec import load_campaign  # noqa: PLC0415
    from tests.conftest import ROOT  # noqa: PLC0415

    for prize in load_campaign(ROOT / "examples" / "bottle-caps" / "campaign.yaml").prizes:
        assert cash_part(prize.value_rub) == prize.cash_part_rub
