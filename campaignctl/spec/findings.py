"""A finding before it is placed in the file: what and where, by JSON Pointer."""

from __future__ import annotations

from dataclasses import dataclass

from campaignctl.errors import Severity


@dataclass(frozen=True)
class Finding:
    pointer: str
    severity: Severity
    message: str
    hint: str | None = None
    rule: str = "schema"
    at_key: bool = False
    """Point at the key rather than the value (unknown fields)."""


def error(pointer: str, message: str, hint: str | None, rule: str) -> Finding:
    return Finding(pointer, "error", message, hint, rule)


def warning(pointer: str, message: str, hint: str | None, rule: str) -> Finding:
    return Finding(pointer, "warning", message, hint, rule)
