"""Date mentions in Russian, ISO and English free text."""

from __future__ import annotations

from datetime import date

import pytest

from campaignctl.scaffold.mentions import Shift, find_mentions

YEAR = Shift(364, date(2027, 6, 7), date(2027, 10, 31))


@pytest.mark.parametrize(
    ("text", "found", "suggestion"),
    [
        ("до 15.10.2027", "15.10.2027", "13.10.2028"),
        ("до 15/10/27", "15/10/27", "13/10/28"),
        ("с 2027-06-07 года", "2027-06-07", "2028-06-05"),
        ("с 7 июня по", "7 июня", "5 июня"),
        ("до 31 октября 2027 года", "31 октября 2027 года", "29 октября 2028 года"),
        ("итоги 6 сентября 2027 г.", "6 сентября 2027 г.", "4 сентября 2028 г."),
        ("неделя (07.06–13.06)", "07.06", "05.06"),
        ("печать в июле 2027", "июле 2027", "июле 2028"),
        ("from June 6, 2027", "June 6, 2027", "June 4, 2028"),
        ("from 6 June 2027", "6 June 2027", "4 June 2028"),
        ("Лето 2027", "2027", "2028"),
    ],
)
def test_finds_dates(text: str, found: str, suggestion: str) -> None:
    mentions = find_mentions(text, YEAR)
    assert [(m.text, m.suggestion) for m in mentions][:1] == [(found, suggestion)]


@pytest.mark.parametrize(
    "text",
    [
        "бутылка 0,5 л",
        "бутылка 1.5 л",
        "закон от 27.07.2006 № 152-ФЗ",
        "в 12.50 по Москве",
        "код 7KQ4-M2XD",
        "каждый четверг",  # whole weeks keep weekdays
    ],
)
def test_ignores_what_is_no_campaign_date(text: str) -> None:
    assert find_mentions(text, YEAR) == []


def test_amounts_and_weekdays() -> None:
    odd = Shift(365, date(2027, 6, 7), date(2027, 10, 31))
    kinds = [(m.kind, m.text) for m in find_mentions("каждый четверг 5 000 ₽ или 100 руб.", odd)]
    assert kinds == [("weekday", "четверг"), ("amount", "5 000 ₽"), ("amount", "100 руб.")]
