"""`campaignctl validate`."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

import typer

from campaignctl.cli.summary import print_summary
from campaignctl.spec import check_file


class Format(StrEnum):
    text = "text"
    json = "json"


def validate(
    campaign: Path = typer.Argument(
        ..., metavar="CAMPAIGN.yaml", help="The campaign file to check.", show_default=False
    ),
    output: Format = typer.Option(Format.text, "--format", "-f", help="Output format."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print problems only, no summary."),
) -> None:
    """Check a campaign file: schema, dates, prizes, legal, tax, code security.

    Prints every problem at once as FILE:LINE:COL: field: message (hint),
    sorted by line. Exits 0 when valid (warnings allowed), 1 when not.

    Example: campaignctl validate examples/bottle-caps/campaign.yaml
    """
    report = check_file(campaign)
    if output is Format.json:
        typer.echo(
            json.dumps([d.as_json() for d in report.diagnostics], ensure_ascii=False, indent=2)
        )
    else:
        for diagnostic in report.diagnostics:
            typer.echo(diagnostic.render())
        errors, warnings = len(report.errors), len(report.warnings)
        if report.campaign is not None:
            if not quiet:
                print_summary(report.campaign)
            typer.echo(f"{campaign}: valid ({warnings} warning(s))")
        else:
            typer.echo(f"{campaign}: invalid, {errors} error(s), {warnings} warning(s)", err=True)
    if not report.ok:
        raise typer.Exit(1)
