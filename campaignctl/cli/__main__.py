"""`python -m campaignctl.cli` runs the CLI (used by benchmarks and subprocess tests)."""

from __future__ import annotations

from campaignctl.cli.main import run

run()
