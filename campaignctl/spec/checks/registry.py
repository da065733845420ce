"""Registration of semantic checks."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from campaignctl.model import Campaign
from campaignctl.spec.findings import Finding

Check = Callable[[Campaign], Iterable[Finding]]

CHECKS: list[Check] = []


def check(function: Check) -> Check:
    CHECKS.append(function)
    return function


def run_checks(campaign: Campaign) -> list[Finding]:
    findings: list[Finding] = []
    for function in CHECKS:
        findings.extend(function(campaign))
    return findings


def ptr(*parts: object) -> str:
    """JSON Pointer from path parts: ptr("prizes", 2, "value_rub")."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)
