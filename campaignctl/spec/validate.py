"""Load, schema-check, build and semantically check a campaign file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import dacite

from campaignctl.errors import Diagnostic, SpecInvalid
from campaignctl.model import Campaign, build_campaign
from campaignctl.spec.checks import run_checks
from campaignctl.spec.findings import Finding
from campaignctl.spec.loader import Document, load_document
from campaignctl.spec.schema import schema_findings


@dataclass(frozen=True)
class Report:
    """Everything `validate` found; ``campaign`` is set when there are no errors."""

    path: Path
    diagnostics: tuple[Diagnostic, ...]
    campaign: Campaign | None

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity == "error")

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity == "warning")

    @property
    def ok(self) -> bool:
        return not self.errors


def _place(doc: Document, finding: Finding) -> Diagnostic:
    pos = doc.locate(finding.pointer, key=finding.at_key)
    return Diagnostic(
        file=str(doc.path),
        line=pos.line,
        column=pos.column,
        pointer=finding.pointer,
        severity=finding.severity,
        message=finding.message,
        hint=finding.hint,
        rule=finding.rule,
    )


def _sorted(diagnostics: list[Diagnostic]) -> tuple[Diagnostic, ...]:
    unique = dict.fromkeys(diagnostics)
    return tuple(sorted(unique, key=lambda d: (d.line, d.column, d.severity, d.message)))


def check_document(doc: Document) -> Report:
    """Validate parsed data: the schema first, then the model and the semantic checks."""
    findings = schema_findings(doc.data)
    if findings:
        return Report(doc.path, _sorted([_place(doc, f) for f in findings]), None)
    try:
        campaign = build_campaign(doc.data, doc.path)
    except (dacite.DaciteError, ValueError, TypeError) as exc:
        # The schema should make this unreachable; report it rather than crash.
        finding = Finding("", "error", f"value not accepted by the model: {exc}", None, "model")
        return Report(doc.path, (_place(doc, finding),), None)
    diagnostics = _sorted([_place(doc, f) for f in run_checks(campaign)])
    ok = not any(d.severity == "error" for d in diagnostics)
    return Report(doc.path, diagnostics, campaign if ok else None)


def check_file(path: Path) -> Report:
    """Validate a campaign file; user mistakes become diagnostics, never exceptions."""
    try:
        doc = load_document(path)
    except SpecInvalid as exc:
        return Report(path, exc.diagnostics, None)
    return check_document(doc)


def load_campaign(path: Path) -> Campaign:
    """The validated campaign at ``path``; raises :class:`SpecInvalid` if it has errors."""
    report = check_file(path)
    if report.campaign is None:
        raise SpecInvalid(path, report.diagnostics)
    return report.campaign
