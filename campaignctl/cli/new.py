"""`campaignctl new`."""

from __future__ import annotations

from pathlib import Path

import typer

from campaignctl.scaffold import new_campaign, parse_assignments


def new(
    folder: Path = typer.Argument(
        ...,
        metavar="DIR",
        help="The new campaign folder (must not exist or be empty).",
        show_default=False,
    ),
    template: str | None = typer.Option(
        None,
        "--template",
        "-t",
        help="codes, receipts or loyalty; or a template folder, or a git URL (default: codes).",
        show_default=False,
    ),
    no_input: bool = typer.Option(
        False, "--no-input", help="Ask nothing: take the template's defaults and the --set answers."
    ),
    sets: list[str] = typer.Option(
        [], "--set", "-s", metavar="KEY=VALUE", help="Answer a template question; repeatable."
    ),
    replay: Path | None = typer.Option(
        None,
        "--replay",
        metavar="ANSWERS.json",
        help="Make a campaign again from the campaign.answers.json of an earlier 'new'.",
    ),
    checkout: str | None = typer.Option(
        None, "--checkout", help="Branch, tag or commit of a git template."
    ),
    directory: str | None = typer.Option(
        None,
        "--directory",
        help="The template's folder inside a git repository or template folder.",
    ),
) -> None:
    """Start a campaign from a template: ask its questions, write a folder that validates.

    On a terminal the template's questions are asked one by one, defaults in
    brackets; --set KEY=VALUE answers a question in advance and --no-input
    asks nothing. The answers are kept in DIR/campaign.answers.json.
    Nothing is written unless the new campaign validates.

    Example: campaignctl new campaigns/fresh-cola-2028 --template codes --set brand="Fresh Cola"
    """
    made = new_campaign(
        folder,
        template,
        answers=parse_assignments(sets),
        no_input=no_input,
        replay=replay,
        checkout=checkout,
        directory=directory,
    )
    campaign = made.report.campaign
    ident = f" (campaign id {campaign.campaign.id})" if campaign is not None else ""
    typer.echo(f"Created {made.folder} from template {made.template!r}{ident}.")
    typer.echo(f"  answers kept in {made.folder / 'campaign.answers.json'}")
    if made.placeholders:
        typer.echo("Still the template's placeholders, replace them in campaign.yaml:")
        for key, value in made.placeholders:
            typer.echo(f"  {key} = {value}")
    for diagnostic in made.report.diagnostics:
        typer.echo(diagnostic.render())
    typer.echo(f"{made.folder / 'campaign.yaml'}: valid ({len(made.report.warnings)} warning(s))")
