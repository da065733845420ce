"""`campaignctl render`."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from campaignctl.render.build import PARTS, Part, Written, default_out
from campaignctl.render.build import render as render_all
from campaignctl.spec import load_campaign


def _parts(value: str | None) -> list[Part]:
    if value is None:
        return list(PARTS)
    names = [v.strip() for v in value.split(",") if v.strip()]
    unknown = [n for n in names if n not in PARTS]
    if unknown or not names:
        raise typer.BadParameter(f"choose from {','.join(PARTS)}; got {value!r}")
    return [p for p in PARTS if p in names]


def print_written(out: Path, written: list[Written], console: Console | None = None) -> None:
    console = console or Console(highlight=False)
    table = Table(title=f"Wrote {out}", title_justify="left")
    table.add_column("Part", style="bold")
    table.add_column("File")
    table.add_column("Bytes", justify="right")
    for w in written:
        table.add_row(w.part, w.path.as_posix(), f"{w.size:,}")
    table.add_section()
    table.add_row("", f"{len(written)} files", f"{sum(w.size for w in written):,}")
    console.print(table)


def render(
    campaign: Path = typer.Argument(
        ..., metavar="CAMPAIGN.yaml", help="The campaign file to render.", show_default=False
    ),
    out: Path | None = typer.Option(
        None,
        "--out",
        "-o",
        help="Output folder [default: build/ next to the campaign file].",
        show_default=False,
    ),
    api_base: str = typer.Option(
        "",
        "--api-base",
        help="Base URL of the campaign API the site's form posts to (default: same origin).",
    ),
    only: str | None = typer.Option(
        None,
        "--only",
        help=f"Comma-separated parts to render: {','.join(PARTS)} (default: all).",
        show_default=False,
    ),
) -> None:
    """Render the promo site, rules (HTML, PDF, DOCX), POS text, CRM mapping and SMS/IVR texts.

    Everything is written to a staging folder and moved into place only when
    every part succeeded; parts left out with --only are kept from the previous
    build. The output is byte-identical for the same campaign. Exits 1 when the
    campaign is invalid, a template fails or the output folder is not writable.

    Example: campaignctl render examples/bottle-caps/campaign.yaml --only rules,pos
    """
    parts = _parts(only)
    model = load_campaign(campaign)
    destination = out if out is not None else default_out(model)
    written = render_all(model, destination, api_base=api_base, only=parts)
    print_written(destination, written)
