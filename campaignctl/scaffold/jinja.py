"""Jinja helpers for campaign templates: date arithmetic and YAML-safe strings.

Campaign templates name this extension in their ``cookiecutter.json``
(``"_extensions": ["campaignctl.scaffold.jinja.CampaignExtension"]``) so that
defaults can be derived from earlier answers (the registration end from the
start date, weekly draws from the registration window) and free-text answers
land in ``campaign.yaml`` quoted, whatever characters they hold.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

from jinja2 import Environment
from jinja2.ext import Extension


def add_days(day: str, days: int) -> str:
    """``"2027-05-01" | add_days(30)`` -> ``"2027-05-31"``."""
    return (date.fromisoformat(str(day)) + timedelta(days=int(days))).isoformat()


def month_start(months_ahead: int = 2, today: date | None = None) -> str:
    """The first day of the month ``months_ahead`` from now: a default start date."""
    base = today or date.today()
    index = base.year * 12 + base.month - 1 + int(months_ahead)
    return date(index // 12, index % 12 + 1, 1).isoformat()


def weeks(start: str, end: str) -> list[tuple[str, str]]:
    """Consecutive 7-day windows from ``start``; the last one ends on ``end``."""
    first, last = date.fromisoformat(str(start)), date.fromisoformat(str(end))
    out: list[tuple[str, str]] = []
    cursor = first
    while cursor <= last:
        stop = min(cursor + timedelta(days=6), last)
        out.append((cursor.isoformat(), stop.isoformat()))
        cursor = stop + timedelta(days=1)
    return out


def ru_date(day: str) -> str:
    """``"2027-09-30"`` -> ``"30.09.2027"``, the way Russian rules write dates."""
    return date.fromisoformat(str(day)).strftime("%d.%m.%Y")


def yaml_str(value: object) -> str:
    """A YAML double-quoted scalar for any answer: JSON strings are valid YAML."""
    return json.dumps(str(value), ensure_ascii=False)


class CampaignExtension(Extension):
    """Adds ``add_days``, ``ru_date``, ``yaml_str`` filters and ``month_start``, ``weeks``."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.filters.update(add_days=add_days, ru_date=ru_date, yaml_str=yaml_str)
        environment.globals.update(month_start=month_start, weeks=weeks)
