"""`campaignctl down CAMPAIGN.yaml [--force] [--yes] [--target local|yandex]`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import cast

import typer

from campaignctl.errors import UserError
from campaignctl.spec import load_campaign
from campaignctl.teardown.down import Confirm, DownResult, Target
from campaignctl.teardown.down import down as take_down


def _confirmer(slug: str, *, yes: bool, force: bool) -> Confirm:
    def confirm(question: str) -> bool:
        if yes:
            return True
        if not sys.stdin.isatty():
            raise UserError(
                "not on a terminal: pass --yes to confirm (nothing was archived or destroyed)"
            )
        typer.echo(question)
        if force:
            answer: str = typer.prompt(f"Type the campaign slug ({slug}) to confirm")
            return answer.strip() == slug
        return bool(typer.confirm("Proceed?", default=False))

    return confirm


def down(
    campaign: Path = typer.Argument(..., help="The campaign.yaml.", show_default=False),
    force: bool = typer.Option(
        False, "--force", help="Take it down even without a final report (asks to type the slug)."
    ),
    yes: bool = typer.Option(
        False, "--yes", help="Confirm without asking (for scripts); never replaces --force."
    ),
    target: str = typer.Option(
        "local", "--target", help="local, or yandex to destroy the cloud stack too."
    ),
    include_protected: bool = typer.Option(
        False,
        "--include-protected",
        help="With --target yandex: destroy the MySQL cluster and the archive bucket too "
        "(asks to type the slug).",
    ),
) -> None:
    """Archive what must be kept, stop the stack and destroy the personal data.

    Kept, in archive/SLUG-TIME.tar.gz (0600) with a .sha256 file: the final
    report, every draw's protocol and published entries (verifiable from the
    archive alone), the winners' tax records, aggregate statistics and the
    spec. Destroyed (152-FZ): the state database, receipt photos, CRM
    exports, the key, server files and the code print files. Refuses before
    'campaignctl report --final' unless --force; asks on a terminal.

    With --target yandex the archive comes from the cloud's database and
    bucket; the stack is destroyed except its protected MySQL cluster and
    archive bucket, which stay (with the state that is the only handle on
    them) until a run with --include-protected: the output says what is left,
    what it costs per month and the command that removes it.

    Example: campaignctl down examples/bottle-caps/campaign.yaml --yes
    """
    if target not in ("local", "yandex"):
        raise UserError(f"unknown target {target!r}", hint="local or yandex")
    spec = load_campaign(campaign)
    result = take_down(
        spec,
        confirm=_confirmer(spec.slug, yes=yes, force=force or include_protected),
        force=force,
        target=cast(Target, target),
        include_protected=include_protected,
    )
    typer.echo(f"kept in {result.archive.path} (sha256 {result.archive.sha256}):")
    for member in result.archive.members:
        typer.echo(f"  {member}")
    typer.echo(f"checksum: {result.archive.checksum_path}")
    typer.echo("stopped the local server" if result.stopped else "the local server was not running")
    typer.echo("destroyed:")
    for item in result.destroyed:
        typer.echo(f"  {item}")
    if result.left:
        _say_what_is_left(result, campaign)


def _say_what_is_left(result: DownResult, campaign: Path) -> None:
    typer.echo("still exists in Yandex Cloud (protected; its Pulumi state is kept):")
    for leftover in result.left:
        typer.echo(f"  {leftover.describe()}")
    if result.left_cost is not None:
        cost = result.left_cost
        typer.echo(
            f"costs about {cost.monthly_rub:,.2f} RUB a month "
            f"(estimate, prices of {cost.price_date}: {cost.price_source})"
        )
    if any(leftover.personal_data for leftover in result.left):
        typer.echo(
            "the participants' personal data still exists in the MySQL cluster; "
            "the codes key stays to open it"
        )
    typer.echo(f"remove it with: campaignctl down {campaign} --target yandex --include-protected")
