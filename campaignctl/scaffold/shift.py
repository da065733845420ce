"""Moving a campaign in time: which fields are dates, and by how much to move them.

The date fields are read from the schema (every value whose format is ``date`` or
``date-time``), so a date field added to the spec later is shifted too.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from functools import cache
from typing import Any, Literal

from campaignctl.spec.loader import escape
from campaignctl.spec.schema import campaign_schema

DateKind = Literal["date", "date-time"]
Path_ = tuple[str, ...]
"""A schema path: property names, ``*`` for any list item."""

WEEK = 7
YEAR_OF_WEEKS = 52 * WEEK
"""364 days: a year later on the same weekdays, so weekly draws keep their day."""


def _resolve(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    merged = dict(node)
    while "$ref" in merged:
        target = dict(defs[merged.pop("$ref").removeprefix("#/$defs/")])
        target.update(merged)
        merged = target
    for part in merged.pop("allOf", []):
        base = _resolve(part, defs)
        merged["properties"] = {**base.get("properties", {}), **merged.get("properties", {})}
    return merged


@cache
def date_paths() -> tuple[tuple[Path_, DateKind], ...]:
    """Every place in a campaign that holds a date or a moment, from the schema."""
    schema = campaign_schema()
    defs: dict[str, Any] = schema["$defs"]
    found: list[tuple[Path_, DateKind]] = []
    stack: list[tuple[Path_, dict[str, Any]]] = [((), schema)]
    while stack:
        path, raw = stack.pop()
        node = _resolve(raw, defs)
        fmt = node.get("format")
        if fmt in ("date", "date-time") and node.get("type") == "string":
            found.append((path, "date" if fmt == "date" else "date-time"))
            continue
        for name, child in node.get("properties", {}).items():
            if name != "$schema":
                stack.append(((*path, name), child))
        if isinstance(node.get("items"), dict):
            stack.append(((*path, "*"), node["items"]))
    return tuple(sorted(found))


def date_fields(data: Any) -> Iterator[tuple[str, DateKind, str]]:
    """(pointer, kind, value) of each date present in campaign ``data``."""
    for path, kind in date_paths():
        nodes: list[tuple[str, Any]] = [("", data)]
        for part in path:
            step: list[tuple[str, Any]] = []
            for pointer, node in nodes:
                if part == "*" and isinstance(node, list):
                    step.extend((f"{pointer}/{i}", item) for i, item in enumerate(node))
                elif isinstance(node, dict) and part in node:
                    step.append((f"{pointer}/{escape(part)}", node[part]))
            nodes = step
        for pointer, value in nodes:
            if isinstance(value, str):
                yield pointer, kind, value


def parse_day(value: str) -> date | None:
    """The calendar day of a date or date-time value, None if it is neither."""
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def shifted(value: str, days: int) -> str:
    """``value`` moved by ``days``; a moment keeps its time of day and offset."""
    day = parse_day(value)
    if day is None:
        return value
    return (day + timedelta(days=days)).isoformat() + value[10:]


def default_shift(start: date, today: date) -> int:
    """Whole 52-week steps that bring ``start`` to today or later (at least one step)."""
    steps = 1
    while start + timedelta(days=YEAR_OF_WEEKS * steps) < today:
        steps += 1
    return YEAR_OF_WEEKS * steps
