"""Reading the client's export: amounts, dates, phones, bad lines with their numbers."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from campaignctl.loyalty.export import (
    ExportUnreadable,
    Problem,
    PurchaseLine,
    parse_amount,
    parse_moment,
    read_export,
)
from campaignctl.model.mechanics import PurchasesExport

MSK = ZoneInfo("Europe/Moscow")
COLUMNS = PurchasesExport("card", "at", "sum", "shop", "tel")


@pytest.mark.parametrize(
    ("text", "kopecks"),
    [("1250.50", 125050), ("1 250,50", 125050), ("300", 30000), ("-300,00", -30000), ("0,5", 50)],
)
def test_amounts(text: str, kopecks: int) -> None:
    assert parse_amount(text) == kopecks


@pytest.mark.parametrize("text", ["", "abc", "1.234", "NaN", "1e12", "12,3,4"])
def test_not_amounts(text: str) -> None:
    assert parse_amount(text) is None


def test_moments_in_the_campaign_zone_unless_they_say() -> None:
    local = parse_moment("05.10.2027 12:30", MSK)
    assert local is not None and local.utcoffset() is not None
    assert local.isoformat() == "2027-10-05T12:30:00+03:00"
    utc = parse_moment("2027-10-05T09:30:00+00:00", MSK)
    assert utc == local
    assert parse_moment("5 октября", MSK) is None


def test_lines_and_problems_carry_line_numbers(tmp_path: Path) -> None:
    export = tmp_path / "e.csv"
    export.write_text(
        "card,at,sum,shop,tel\n"
        "A1,2027-10-05 12:30,300,S1,8 916 000-00-01\n"
        "\n"
        "A2,yesterday,300,S1,\n"
        'A3,2027-10-05 12:30,"1,5",S1,12345\n'
        "A4,2027-10-05 12:30\n",
        encoding="utf-8",
    )
    items = list(read_export(export, COLUMNS, MSK))
    first = items[0]
    assert isinstance(first, PurchaseLine)
    assert (first.line, first.member_id, first.amount_kopecks, first.phone) == (
        2,
        "A1",
        30000,
        "+79160000001",
    )
    assert isinstance(items[1], Problem) and items[1].line == 4
    assert "not a date" in items[1].message
    bad_phone = items[2]
    assert isinstance(bad_phone, PurchaseLine) and bad_phone.bad_phone and bad_phone.phone is None
    assert bad_phone.amount_kopecks == 150
    assert isinstance(items[3], Problem) and items[3].line == 6


def test_a_missing_column_names_the_spec(tmp_path: Path) -> None:
    export = tmp_path / "e.csv"
    export.write_text("card;when;sum\nA;2027-10-05;1\n", encoding="utf-8")
    with pytest.raises(ExportUnreadable) as caught:
        list(read_export(export, COLUMNS, MSK))
    assert "no column at" in caught.value.message
    assert "purchases_export" in (caught.value.hint or "")


def test_not_utf8_is_a_user_error(tmp_path: Path) -> None:
    export = tmp_path / "e.csv"
    export.write_bytes("card;at;sum\nКарта;2027-10-05;1\n".encode("cp1251"))
    with pytest.raises(ExportUnreadable, match="UTF-8"):
        list(read_export(export, COLUMNS, MSK))
