"""Russian dates, money and plurals as promo rules write them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from campaignctl.render.formatting import (
    counted,
    ru_date,
    ru_date_range,
    ru_datetime,
    ru_money,
    ru_number,
    ru_quote,
)

NBSP = "\u00a0"


def test_dates() -> None:
    assert ru_date(date(2027, 5, 1)) == "1 мая 2027 г."
    assert ru_date(date(2027, 3, 8)) == "8 марта 2027 г."
    assert ru_datetime(datetime(2027, 6, 7, 12, 0)) == "7 июня 2027 г. в 12:00"


def test_date_ranges_name_the_year_once_when_shared() -> None:
    assert ru_date_range(date(2027, 6, 7), date(2027, 8, 29)) == "с 7 июня по 29 августа 2027 г."
    assert ru_date_range(date(2027, 10, 1), date(2027, 10, 31)) == "с 1 по 31 октября 2027 г."
    assert (
        ru_date_range(date(2027, 12, 20), date(2028, 1, 10))
        == "с 20 декабря 2027 г. по 10 января 2028 г."
    )


def test_quotes_inside_quotes_become_low_high() -> None:
    assert ru_quote("Открой лето с «Бризом»") == "«Открой лето с „Бризом“»"
    assert ru_quote("Чек на удачу") == "«Чек на удачу»"


def test_numbers_and_money_group_with_no_break_space() -> None:
    assert ru_number(5_000_000) == f"5{NBSP}000{NBSP}000"
    assert ru_money(Decimal("30153.85")) == f"30{NBSP}153,85 руб."
    assert ru_money(4000, kopecks=False) == f"4{NBSP}000 руб."


@pytest.mark.parametrize(
    ("count", "text"),
    [
        (1, "1 приз"),
        (2, "2 приза"),
        (5, "5 призов"),
        (11, "11 призов"),
        (21, "21 приз"),
        (104, "104 приза"),
    ],
)
def test_plurals(count: int, text: str) -> None:
    assert counted(count, "приз", "приза", "призов").replace(NBSP, " ") == text
