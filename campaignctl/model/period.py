"""When and where the promotion runs, and who may take part."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

DEFAULT_RESIDENCY = "дееспособные граждане РФ, постоянно проживающие на территории РФ"


@dataclass(frozen=True)
class DateRange:
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    registration: DateRange
    claim_deadline: date
    timezone: str = "Europe/Moscow"
    purchase: DateRange | None = None
    winners_announced_by: date | None = None

    @property
    def whole(self) -> DateRange:
        return DateRange(self.start, self.end)


@dataclass(frozen=True)
class Territory:
    description: str
    regions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Audience:
    min_age: int
    residency: str = DEFAULT_RESIDENCY
    excluded: tuple[str, ...] = ()
