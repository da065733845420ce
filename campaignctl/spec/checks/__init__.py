"""Semantic checks beyond the schema: each finds one kind of mistake and says why.

Every check is a function ``(Campaign) -> Iterable[Finding]`` registered with
``registry.check``; :func:`run_checks` runs them all. Rule ids are stable: they
are shown to users and used by tests.
"""

from __future__ import annotations

# Importing the modules registers their checks.
from campaignctl.spec.checks import budget, codes, dates, legal, prizes, security
from campaignctl.spec.checks.registry import CHECKS, run_checks

__all__ = ["CHECKS", "budget", "codes", "dates", "legal", "prizes", "run_checks", "security"]
