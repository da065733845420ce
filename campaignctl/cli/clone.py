"""`campaignctl clone`."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import typer

from campaignctl.scaffold import Cloned, clone_campaign, parse_assignments


def _day(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not a date YYYY-MM-DD", param_hint="--start"
        ) from None


def _print(result: Cloned) -> None:
    typer.echo(
        f"Cloned {result.source} into {result.folder}: dates moved by {result.shift_days:+d} days."
    )
    typer.echo("Changed:")
    for change in result.changes:
        typer.echo(f"  {change.field}: {change.old} -> {change.new}")
    typer.echo(f"Copied {len(result.copied)} file(s); never copied:")
    for skipped in result.skipped:
        typer.echo(f"  {skipped.path}  ({skipped.reason})")
    if not result.skipped:
        typer.echo("  (nothing else was in the folder)")
    if result.review:
        typer.echo(f"Review before going live ({len(result.review)} item(s)):")
        for item in result.review:
            typer.echo(f"  {result.folder / item.render()}")
    for diagnostic in result.report.diagnostics:
        typer.echo(diagnostic.render())
    spec = result.folder / "campaign.yaml"
    errors, warnings = len(result.report.errors), len(result.report.warnings)
    if result.report.ok:
        typer.echo(f"{spec}: valid ({warnings} warning(s))")
    else:
        typer.echo(f"{spec}: invalid, {errors} error(s) to fix (listed above)", err=True)


def clone(
    source: Path = typer.Argument(
        ..., metavar="PAST_CAMPAIGN_DIR", help="Folder of the past campaign.", show_default=False
    ),
    folder: Path = typer.Argument(
        ...,
        metavar="DIR",
        help="The new campaign folder (must not exist or be empty).",
        show_default=False,
    ),
    sets: list[str] = typer.Option(
        [],
        "--set",
        "-s",
        metavar="FIELD=VALUE",
        help="Change a value: slug, name, brand, client or a field path like prizes[0].quantity.",
    ),
    shift_days: int | None = typer.Option(
        None,
        "--shift-days",
        help="Move every date by N days. (Default: 52 weeks, or more to reach today.)",
    ),
    start: str | None = typer.Option(
        None,
        "--start",
        metavar="YYYY-MM-DD",
        help="New first day; every date moves by the same amount.",
    ),
) -> None:
    """Start a campaign from a past one: new slug and id, dates moved, nothing secret copied.

    Copies campaign.yaml (edited in place: comments and layout stay), assets/
    and the documents the spec names. Never copies .campaignctl/ (code key,
    database), print files, code lists, exports or other personal data.
    Lists the texts that still mention old dates, prices or names, and the
    values to confirm (prize stock, legal details, numbers). Exits 1 if the
    new campaign does not validate, after listing what to fix.

    Example: campaignctl clone campaigns/briz-2027 campaigns/briz-2028 --start 2028-06-05
    """
    result = clone_campaign(
        source, folder, sets=parse_assignments(sets), shift_days=shift_days, start=_day(start)
    )
    _print(result)
    if not result.report.ok:
        raise typer.Exit(1)
