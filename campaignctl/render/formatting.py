"""Russian formatting of dates, money and counted nouns for consumer texts.

Babel's CLDR data does the locale work; these helpers fix the conventions
Russian promo rules use (``1 мая 2027 г.``, ``4 000,00 руб.``).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal

_RU = Locale("ru")
# Narrow no-break space: Babel groups thousands with U+00A0 for ru; keep it,
# so numbers never wrap across lines in print.


def ru_date(value: date) -> str:
    """``1 мая 2027 г.``"""
    return f"{format_date(value, 'd MMMM y', locale=_RU)} г."


def ru_date_short(value: date) -> str:
    """``01.05.2027``"""
    return value.strftime("%d.%m.%Y")


def ru_datetime(value: datetime) -> str:
    """``7 июня 2027 г. в 12:00``"""
    return f"{format_datetime(value, 'd MMMM y', locale=_RU)} г. в {value:%H:%M}"


def ru_date_range(start: date, end: date) -> str:
    """``с 7 июня по 29 августа 2027 г.``, ``с 1 по 31 октября 2027 г.``: shared parts once."""
    if (start.year, start.month) == (end.year, end.month):
        return f"с {start.day} по {ru_date(end)}"
    if start.year == end.year:
        return f"с {format_date(start, 'd MMMM', locale=_RU)} по {ru_date(end)}"
    return f"с {ru_date(start)} по {ru_date(end)}"


def ru_quote(text: str) -> str:
    """``Открой лето с «Бризом»`` -> ``«Открой лето с „Бризом“»``: quotes inside quotes."""
    inner = text.replace("«", "„").replace("»", "“")
    return f"«{inner}»"


def ru_number(value: int | Decimal) -> str:
    """``5 000 000``"""
    return format_decimal(value, format="#,##0.##", locale=_RU)


def ru_money(value: Decimal | int, *, kopecks: bool = True) -> str:
    """``4 000,00 руб.`` (or ``4 000 руб.`` without kopecks)."""
    amount = Decimal(value)
    pattern = "#,##0.00" if kopecks else "#,##0"
    return f"{format_decimal(amount, format=pattern, locale=_RU)} руб."


def plural(count: int, one: str, few: str, many: str) -> str:
    """The noun form for ``count``: plural(2, "приз", "приза", "призов") -> "приза"."""
    form = _RU.plural_form(abs(count))
    return {"one": one, "few": few}.get(form, many)


def counted(count: int, one: str, few: str, many: str) -> str:
    """``3 приза``, ``5 призов``."""
    return f"{ru_number(count)} {plural(count, one, few, many)}"
