"""`python -m campaignctl` runs the CLI."""

from __future__ import annotations

from campaignctl.cli.main import run

run()
