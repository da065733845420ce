"""Dates, years, weekdays and amounts mentioned in free text.

A cloned campaign's dates are shifted field by field, but the texts around them
(rules, FAQ answers, IVR prompts, comments, the README) still say "с 7 июня по
29 августа 2027 года" or "до 15.10.2027". This module finds such mentions in any
common Russian, ISO or English form and says what the shifted text would be.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

Kind = Literal["date", "month", "year", "weekday", "amount", "text"]

_RU_MONTHS = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)  # fmt: skip
_RU_STEMS = (
    "январ", "феврал", "март", "апрел", "ма[йяе]", "июн",
    "июл", "август", "сентябр", "октябр", "ноябр", "декабр",
)  # fmt: skip
_EN_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

_RU_MONTH = "|".join(_RU_MONTHS)
_EN_MONTH = "|".join(_EN_MONTHS)
_ISO = re.compile(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d])")
_NUMERIC = re.compile(r"(?<![\d.])(\d{1,2})([./])(\d{1,2})\2(\d{4}|\d{2})(?![\d])")
_NUMERIC_SHORT = re.compile(r"(?<![\d.,])(\d{2})\.(\d{2})(?![\d]|[.,]\d)")
_RU_WORDS = re.compile(
    rf"(?<!\d)(\d{{1,2}})(?:-?го)?\s+({_RU_MONTH})(?:\s+(\d{{4}})(?:\s*(?:года|г\.|г\b))?)?",
    re.IGNORECASE,
)
_EN_DAY_MONTH = re.compile(rf"(?<!\d)(\d{{1,2}})\s+({_EN_MONTH})(?:,?\s+(\d{{4}}))?")
_EN_MONTH_DAY = re.compile(rf"\b({_EN_MONTH})\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?")
_MONTH_YEAR = re.compile(
    rf"\b((?:{'|'.join(_RU_STEMS)})[а-я]*|{_EN_MONTH})\s+(\d{{4}})(?:\s*(?:года|г\.|г\b))?",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?<![\d.,-])(20\d{2})(?![\d])")
_WEEKDAY = re.compile(
    r"\b(понедельник|вторник|сред[аеуы]|четверг|пятниц[аеуы]|суббот[аеуы]|воскресень[еяю])\w*",
    re.IGNORECASE,
)
_AMOUNT = re.compile(
    r"(?<![\d.,])\d{1,3}(?:[  ]\d{3})*(?:[.,]\d+)?\s?(?:₽|руб(?:лей|ля|ль|\.)?(?![а-я])|RUB\b)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str
    kind: Kind
    suggestion: str | None
    """The same text moved by the shift, when it can be written mechanically."""


@dataclass(frozen=True)
class Shift:
    """What changed: the days added, and the old campaign's dates (to place bare days)."""

    days: int
    old_start: date
    old_end: date

    @property
    def years(self) -> int:
        return (self.old_start + timedelta(days=self.days)).year - self.old_start.year

    def year_for(self, month: int, day: int) -> int | None:
        """The year a day without one most likely means: the one near the old campaign."""
        for year in range(self.old_start.year - 1, self.old_end.year + 2):
            try:
                candidate = date(year, month, day)
            except ValueError:
                return None
            if (
                self.old_start - timedelta(days=120)
                <= candidate
                <= self.old_end + timedelta(days=120)
            ):
                return year
        return None

    def near(self, year: int) -> bool:
        """Whether a date in ``year`` can be one of the campaign's (not a law's date)."""
        return self.old_start.year - 1 <= year <= self.old_end.year + 1

    def move(self, day: date) -> date:
        return day + timedelta(days=self.days)


def _day(year: int | None, month: int, day: int) -> date | None:
    try:
        return date(year or 2000, month, day)
    except ValueError:
        return None


def _iso(m: re.Match[str], shift: Shift) -> Mention | None:
    day = _day(int(m[1]), int(m[2]), int(m[3]))
    if day is None or not shift.near(day.year):
        return None
    return Mention(m.start(), m.end(), m[0], "date", shift.move(day).isoformat())


def _numeric(m: re.Match[str], shift: Shift) -> Mention | None:
    year = int(m[4]) + (2000 if len(m[4]) == 2 else 0)
    day = _day(year, int(m[3]), int(m[1]))
    if day is None or not shift.near(year):
        return None
    new = shift.move(day)
    sep = m[2]
    text_year = f"{new.year}" if len(m[4]) == 4 else f"{new.year % 100:02d}"
    return Mention(
        m.start(), m.end(), m[0], "date", f"{new.day:02d}{sep}{new.month:02d}{sep}{text_year}"
    )


def _numeric_short(m: re.Match[str], shift: Shift) -> Mention | None:
    day_n, month = int(m[1]), int(m[2])
    year = shift.year_for(month, day_n) if 1 <= month <= 12 and 1 <= day_n <= 31 else None
    if year is None:
        return None
    new = shift.move(date(year, month, day_n))
    return Mention(m.start(), m.end(), m[0], "date", f"{new.day:02d}.{new.month:02d}")


def _ru_words(m: re.Match[str], shift: Shift) -> Mention | None:
    month = _RU_MONTHS.index(m[2].lower()) + 1
    year = int(m[3]) if m[3] else shift.year_for(month, int(m[1]))
    day = _day(year, month, int(m[1])) if year else None
    if day is None or not shift.near(day.year):
        return None
    new = shift.move(day)
    text = f"{new.day} {_RU_MONTHS[new.month - 1]}"
    if m[3]:
        text += f" {new.year}" + m[0][m.end(3) - m.start() :]
    return Mention(m.start(), m.end(), m[0], "date", text)


def _en(m: re.Match[str], shift: Shift, *, day_first: bool) -> Mention | None:
    day_s, month_s = (m[1], m[2]) if day_first else (m[2], m[1])
    month = _EN_MONTHS.index(month_s) + 1
    year = int(m[3]) if m[3] else shift.year_for(month, int(day_s))
    day = _day(year, month, int(day_s)) if year else None
    if day is None or not shift.near(day.year):
        return None
    new = shift.move(day)
    name = _EN_MONTHS[new.month - 1]
    text = f"{new.day} {name}" if day_first else f"{name} {new.day}"
    if m[3]:
        text += f" {new.year}" if day_first else f", {new.year}"
    return Mention(m.start(), m.end(), m[0], "date", text)


def _month_year(m: re.Match[str], shift: Shift) -> Mention | None:
    year = int(m[2])
    if not shift.near(year):
        return None
    suggestion = m[0].replace(m[2], str(year + shift.years)) if shift.years else None
    return Mention(m.start(), m.end(), m[0], "month", suggestion)


def _year(m: re.Match[str], shift: Shift) -> Mention | None:
    year = int(m[1])
    if not shift.years or not shift.old_start.year <= year <= shift.old_end.year:
        return None
    return Mention(m.start(), m.end(), m[0], "year", str(year + shift.years))


def _weekday(m: re.Match[str], shift: Shift) -> Mention | None:
    if shift.days % 7 == 0:
        return None  # whole weeks: "every Thursday" stays true
    return Mention(m.start(), m.end(), m[0], "weekday", None)


def _amount(m: re.Match[str], shift: Shift) -> Mention:
    return Mention(m.start(), m.end(), m[0], "amount", None)


def _en_day_month(m: re.Match[str], shift: Shift) -> Mention | None:
    return _en(m, shift, day_first=True)


def _en_month_day(m: re.Match[str], shift: Shift) -> Mention | None:
    return _en(m, shift, day_first=False)


# Longest forms first: "31 октября 2027 года" is one mention, not a date and a year.
_FINDERS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str], Shift], Mention | None]], ...] = (
    (_ISO, _iso),
    (_NUMERIC, _numeric),
    (_RU_WORDS, _ru_words),
    (_EN_DAY_MONTH, _en_day_month),
    (_EN_MONTH_DAY, _en_month_day),
    (_MONTH_YEAR, _month_year),
    (_NUMERIC_SHORT, _numeric_short),
    (_YEAR, _year),
    (_WEEKDAY, _weekday),
    (_AMOUNT, _amount),
)


def find_mentions(text: str, shift: Shift) -> list[Mention]:
    """Every date-like mention (and amount) in ``text``, without overlaps, in text order."""
    found: list[Mention] = []
    for pattern, parse in _FINDERS:
        for m in pattern.finditer(text):
            mention = parse(m, shift)
            if mention is not None and all(
                mention.end <= other.start or mention.start >= other.end for other in found
            ):
                found.append(mention)
    return sorted(found, key=lambda x: x.start)


def find_phrases(text: str, phrases: dict[str, str]) -> Iterator[Mention]:
    """Mentions of old names (the old campaign name, brand) that were changed."""
    for old, new in phrases.items():
        if not old:
            continue
        for m in re.finditer(re.escape(old), text):
            yield Mention(m.start(), m.end(), m[0], "text", new)
