"""`campaignctl budget`."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from campaignctl.budget import PRICE_TABLE_DATE, PRICE_TABLE_SOURCE, Estimate, estimate
from campaignctl.budget.prices import rub
from campaignctl.spec import load_campaign
from campaignctl.stack.yandex.budget import cloud_lines


def print_estimate(result: Estimate, console: Console | None = None) -> None:
    console = console or Console(highlight=False)
    v = result.volumes
    people = f"{v.participants:,}" if v.participants is not None else "not set"
    table = Table(
        title=f"Budget of {result.slug}: {people} participants ({v.participants_from})",
        title_justify="left",
    )
    table.add_column("Item", style="bold", max_width=22)
    table.add_column("Basis", ratio=1)
    table.add_column("Amount, RUB", justify="right")
    for line in result.lines:
        basis = line.basis + (f"\n[italic]note: {line.note}[/italic]" if line.note else "")
        table.add_row(line.item, basis, rub(line.amount_rub))
    table.add_section()
    table.add_row("Total", "", rub(result.total_rub), style="bold")
    per = result.per_participant_rub
    table.add_row("Per participant", "total / participants", rub(per) if per is not None else "n/a")
    if result.cap is not None:
        cap = result.cap
        used = f", {cap.used:.1%} used" if cap.used is not None else ""
        state = "[red]over the cap by[/red]" if cap.over else "left under the cap"
        table.add_row("Cap", f"budget.cap_rub{used}", rub(cap.cap_rub))
        table.add_row("", state, rub(abs(cap.remaining_rub)))
    console.print(table)
    console.print(
        f"Prices: {PRICE_TABLE_SOURCE}, recorded {PRICE_TABLE_DATE}, unless the spec overrides them."
    )


def budget(
    campaign: Path = typer.Argument(..., help="The campaign.yaml to estimate.", show_default=False),
    as_json: bool = typer.Option(False, "--json", help="Print the estimate as JSON."),
    participants: int | None = typer.Option(
        None, "--participants", min=0, help="What-if: expected participants.", show_default=False
    ),
    sms_share: float | None = typer.Option(
        None,
        "--sms-share",
        min=0,
        max=1,
        help="What-if: share of registrations by SMS (0..1).",
        show_default=False,
    ),
) -> None:
    """Estimate the campaign's cost: prizes, NDFL cash parts, fees, SMS, hotline, cloud.

    Prices come from the spec's budget.prices (defaults: the iActions price
    list, see docs/budget.md); participants and SMS share from budget.scenario unless given
    here. Shows the total, the cost per participant and the cap. Exits 1 when
    the campaign is invalid.

    Example: campaignctl budget examples/bottle-caps/campaign.yaml --participants 200000
    """
    result = estimate(
        load_campaign(campaign), participants=participants, sms_share=sms_share, cloud=cloud_lines
    )
    if as_json:
        typer.echo(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
    else:
        print_estimate(result)
