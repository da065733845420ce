"""The one error tree of campaignctl.

Every error a user can cause derives from :class:`UserError` and carries what the
user needs to fix it. The library raises; only the CLI boundary
(:mod:`campaignctl.cli.main`) turns errors into messages and exit codes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


class CampaignctlError(Exception):
    """Base of every error raised on purpose by campaignctl."""


class UserError(CampaignctlError):
    """Something the user can fix: printed without a traceback, exit code 1."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None, path: Path | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.path = path

    def render(self) -> str:
        where = f"{self.path}: " if self.path is not None else ""
        hint = f"\n  hint: {self.hint}" if self.hint else ""
        return f"{where}{self.message}{hint}"


@dataclass(frozen=True)
class Diagnostic:
    """One finding about a campaign file, located as precisely as the input allows."""

    file: str
    line: int
    column: int
    pointer: str
    """JSON Pointer of the offending value (RFC 6901), "" for the document root."""
    severity: Severity
    message: str
    hint: str | None = None
    rule: str = "schema"
    """Stable identifier of the check, e.g. ``period.order`` or ``schema``."""

    @property
    def field_path(self) -> str:
        """Dotted path of the field, e.g. ``prizes[2].value_rub``."""
        return pointer_to_dotted(self.pointer)

    def render(self) -> str:
        field = f"{self.field_path}: " if self.field_path else ""
        hint = f" ({self.hint})" if self.hint else ""
        tag = "" if self.severity == "error" else "warning: "
        return f"{self.file}:{self.line}:{self.column}: {tag}{field}{self.message}{hint}"

    def as_json(self) -> dict[str, object]:
        return {
            "path": self.field_path,
            "line": self.line,
            "column": self.column,
            "pointer": self.pointer,
            "severity": self.severity,
            "message": self.message,
            "hint": self.hint,
            "rule": self.rule,
        }


def pointer_to_dotted(pointer: str) -> str:
    """``/prizes/2/value_rub`` -> ``prizes[2].value_rub``."""
    out = ""
    for raw in pointer.split("/")[1:]:
        part = raw.replace("~1", "/").replace("~0", "~")
        if part.isdigit():
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


class SpecInvalid(UserError):
    """A campaign file failed to load or validate; carries every diagnostic found."""

    def __init__(self, path: Path, diagnostics: Sequence[Diagnostic]) -> None:
        errors = [d for d in diagnostics if d.severity == "error"]
        super().__init__(f"{len(errors)} error(s) in {path}", path=path)
        self.diagnostics = tuple(sorted(diagnostics, key=lambda d: (d.line, d.column)))

    def render(self) -> str:
        lines = [d.render() for d in self.diagnostics]
        lines.append(f"{self.path}: invalid, {self.message}")
        return "\n".join(lines)
