"""Timer trigger schedules: cron expressions in UTC, computed from the campaign's dates.

Yandex Cloud triggers take a six-field cron, ``MIN HOUR DOM MONTH DOW YEAR``,
evaluated in UTC, with ``?`` in exactly one of day-of-month and day-of-week.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from campaignctl.model import Campaign
from campaignctl.model.prizes import Draw

REPORT_LOCAL_TIME = time(9, 0)
"""The daily report runs at 09:00 in the campaign's time zone."""
RELAY_CRON = "* * ? * * *"
"""The outbox relay runs every minute (the finest a timer trigger fires)."""
CATCH_UP_CRON = "5,15,25,35,45,55 * ? * * *"
"""Every ten minutes the jobs function draws any round whose moment passed at least
:data:`CATCH_UP_AFTER` ago and that is not drawn: a draw whose own timer failed (the
database away, an instance killed) happens at the next of these instead of never. Off the
whole hour and not on a just-due round, so that it does not run beside the daily report's
or a draw's own timer (each trigger's call runs every job due that minute)."""
CATCH_UP_AFTER = timedelta(minutes=5)

_RANGES = (("minute", 0, 59), ("hour", 0, 23), ("day", 1, 31), ("month", 1, 12))


@dataclass(frozen=True)
class Timer:
    id: str
    """``report`` or ``draw-<draw id>``."""
    cron: str
    job: str
    """What the timer handler runs: ``report`` or ``draw:<draw id>``."""
    description: str


def utc_cron_at(moment: datetime) -> str:
    """A cron that fires once, at ``moment`` (timezone-aware), to the minute."""
    at = moment.astimezone(UTC)
    return f"{at.minute} {at.hour} {at.day} {at.month} ? {at.year}"


def daily_utc_cron(local: time, timezone: str, on: date) -> str:
    """Every day at ``local`` time in ``timezone``, as the UTC offset stands on ``on``.

    Russian zones have kept one offset all year since 2014, so one day's offset
    holds for the whole campaign.
    """
    at = datetime.combine(on, local, tzinfo=ZoneInfo(timezone)).astimezone(UTC)
    return f"{at.minute} {at.hour} ? * * *"


def draw_timer(draw: Draw) -> Timer:
    return Timer(
        id=f"draw-{draw.id}",
        cron=utc_cron_at(draw.at),
        job=f"draw:{draw.id}",
        description=f"draw {draw.id} at {draw.at.isoformat()}",
    )


def timers(campaign: Campaign) -> tuple[Timer, ...]:
    """The daily report, one timer per scheduled draw and, with draws, the catch-up."""
    period = campaign.period
    report = Timer(
        id="report",
        cron=daily_utc_cron(REPORT_LOCAL_TIME, period.timezone, period.start),
        job="report",
        description=f"daily report at {REPORT_LOCAL_TIME:%H:%M} {period.timezone}",
    )
    draws = tuple(draw_timer(d) for d in campaign.draws)
    if not draws:
        return (report,)
    catch_up = Timer(
        id="draws-catch-up",
        cron=CATCH_UP_CRON,
        job="catch-up",
        description="every 10 minutes: rounds whose moment passed and that are not drawn",
    )
    return (report, *draws, catch_up)


def cron_problems(expr: str) -> list[str]:
    """What is wrong with a Yandex trigger cron; empty when it is valid."""
    fields = expr.split()
    if len(fields) != 6:
        return [f"{expr!r}: expected 6 fields (MIN HOUR DOM MONTH DOW YEAR), got {len(fields)}"]
    minute, hour, dom, month, dow, year = fields
    problems = []
    if (dom == "?") == (dow == "?"):
        problems.append(f"{expr!r}: exactly one of day-of-month and day-of-week must be '?'")
    for value, (name, low, high) in zip((minute, hour, dom, month), _RANGES, strict=True):
        if value in {"*", "?"}:
            continue
        for part in value.split(","):
            bounds = part.split("-")
            if not all(b.isdigit() and low <= int(b) <= high for b in bounds) or len(bounds) > 2:
                problems.append(f"{expr!r}: {name} {part!r} is not in {low}..{high}")
    if dow not in {"*", "?"} and not all(
        (p.isdigit() and 1 <= int(p) <= 7) or p in _DAYS for p in dow.split(",")
    ):
        problems.append(f"{expr!r}: day-of-week {dow!r} is not 1..7 or MON..SUN")
    if year != "*" and not (year.isdigit() and 1970 <= int(year) <= 2099):
        problems.append(f"{expr!r}: year {year!r} is not 1970..2099")
    return problems


_DAYS = frozenset({"MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"})


def _matches(field: str, value: int) -> bool:
    if field in {"*", "?"}:
        return True
    for part in field.split(","):
        low, _, high = part.partition("-")
        if int(low) <= value <= int(high or low):
            return True
    return False


def fires_at(expr: str, moment: datetime) -> bool:
    """Whether a valid numeric cron fires at ``moment`` read in UTC (to the minute)."""
    minute, hour, dom, month, _dow, year = expr.split()
    at = moment.astimezone(UTC)
    return (
        _matches(minute, at.minute)
        and _matches(hour, at.hour)
        and _matches(dom, at.day)
        and _matches(month, at.month)
        and (year == "*" or int(year) == at.year)
    )
