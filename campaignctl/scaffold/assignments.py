"""``--set key=value`` options, shared by ``new`` and ``clone``."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from campaignctl.errors import UserError
from campaignctl.spec.loader import escape

_INDEX = re.compile(r"\[(\d+)\]")


def parse_assignments(items: Iterable[str]) -> dict[str, str]:
    """``["a=1", "b=x=y"]`` -> ``{"a": "1", "b": "x=y"}``; a key given twice is an error."""
    out: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise UserError(f"--set {item!r}: expected KEY=VALUE", hint="e.g. --set brand=Бриз")
        if key in out:
            raise UserError(f"--set {key} is given twice")
        out[key] = value
    return out


def field_pointer(path: str) -> str:
    """``prizes[0].quantity`` -> ``/prizes/0/quantity``."""
    parts = _INDEX.sub(r".\1", path).split(".")
    return "".join(f"/{escape(p)}" for p in parts if p)


def typed_like(old: Any, raw: str, field: str) -> str | int | float | bool:
    """``raw`` converted to the type of the value it replaces."""
    if isinstance(old, bool):
        lowered = raw.strip().lower()
        if lowered in ("true", "yes", "1"):
            return True
        if lowered in ("false", "no", "0"):
            return False
        raise UserError(f"--set {field}: expected true or false, got {raw!r}")
    if isinstance(old, int):
        try:
            return int(raw.replace(" ", "").replace("_", ""))
        except ValueError:
            raise UserError(f"--set {field}: expected a whole number, got {raw!r}") from None
    if isinstance(old, float):
        try:
            return float(raw.replace(" ", "").replace(",", "."))
        except ValueError:
            raise UserError(f"--set {field}: expected a number, got {raw!r}") from None
    return raw
