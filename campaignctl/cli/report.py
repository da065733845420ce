"""`campaignctl report CAMPAIGN.yaml [--final] [--out DIR]`."""

from __future__ import annotations

from pathlib import Path

import typer

from campaignctl.reports.build import report as write
from campaignctl.spec import load_campaign


def report(
    campaign: Path = typer.Argument(..., help="The campaign.yaml.", show_default=False),
    final: bool = typer.Option(
        False, "--final", help="The closing report: adds draws, claims, NDFL totals and a PDF."
    ),
    out: Path | None = typer.Option(
        None,
        "--out",
        help="Output folder (default: reports/DATE or reports/final next to the campaign).",
        show_default=False,
    ),
) -> None:
    """Write the campaign report: HTML with charts, CSV and JSON of every table.

    Registrations over time, by channel and by city, codes redeemed by batch
    (voided batches apart), conversion from printed codes, prizes awarded vs the
    fund, costs so far vs the budget, and the spec's KPI targets vs actuals.
    The runtime writes one every day; --final is what 'campaignctl down' needs.

    Example: campaignctl report examples/bottle-caps/campaign.yaml --final
    """
    written = write(load_campaign(campaign), final=final, out=out)
    f = written.figures
    typer.echo(
        f"{f.registrations} registrations, {f.participants} participants, "
        f"{sum(p.awarded for p in f.prizes)} prizes awarded ({written.seconds:.1f} s)"
    )
    for path in written.files:
        if path.parent == written.folder:
            typer.echo(f"wrote {path}")
    tables = sum(1 for path in written.files if path.suffix == ".csv")
    typer.echo(f"wrote {tables} CSV files in {written.folder / 'csv'}")
