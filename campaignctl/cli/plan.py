"""`campaignctl plan`."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

import typer

from campaignctl.spec import load_campaign
from campaignctl.stack.yandex.plan import plan as plan_stack
from campaignctl.stack.yandex.plan import render_text


class Target(StrEnum):
    yandex = "yandex"


def plan(
    campaign: Path = typer.Argument(
        ..., metavar="CAMPAIGN.yaml", help="The campaign to plan.", show_default=False
    ),
    target: Target = typer.Option(Target.yandex, "--target", help="The cloud target to plan."),
    as_json: bool = typer.Option(False, "--json", help="Print the plan as JSON."),
) -> None:
    """Show every resource the cloud stack would create, and its estimated monthly cost.

    Offline and without credentials: the Pulumi program runs under Pulumi's
    mocks. Each resource is listed with its key settings (secrets masked),
    then the stack outputs and a monthly cost estimate from the dated price
    table in the repository, scaled by infrastructure.yandex.expected_requests_per_day
    (else the budget scenario). Exits 1 when the campaign is invalid or has no
    infrastructure.yandex section.

    Example: campaignctl plan examples/receipt-draw/campaign.yaml --target yandex
    """
    result = plan_stack(load_campaign(campaign))
    if as_json:
        typer.echo(json.dumps(result.as_json(), ensure_ascii=False, indent=2, default=str))
    else:
        typer.echo(render_text(result), nl=False)
