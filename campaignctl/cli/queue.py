"""`campaignctl queue ...`: list, retry, purge-dead."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from campaignctl.queue.operations import purge_dead, queue_report, retry_dead
from campaignctl.spec import load_campaign

app = typer.Typer(
    name="queue",
    help="The delivery queue (CRM messages, SMS replies): inspect and replay dead letters.",
    no_args_is_help=True,
)

CAMPAIGN = typer.Argument(..., help="The campaign.yaml.", show_default=False)


@app.command("list")
def list_(
    campaign: Path = CAMPAIGN,
    state: str | None = typer.Option(
        None, "--state", help="Only this state: pending, in_flight, delivered or dead."
    ),
    limit: int = typer.Option(50, "--limit", help="Show at most this many messages (50)."),
) -> None:
    """Count messages by state and list them, oldest first.

    Example: campaignctl queue list examples/bottle-caps/campaign.yaml --state dead
    """
    report = queue_report(load_campaign(campaign), state, limit)
    typer.echo("  ".join(f"{name}: {n}" for name, n in report.depth.items()))
    if not report.messages:
        return
    table = Table("id", "topic", "key", "state", "attempts", "next attempt", "last error")
    for m in report.messages:
        when = m.next_attempt_at.strftime("%Y-%m-%d %H:%M:%S") if m.next_attempt_at else ""
        table.add_row(
            m.id, m.topic, m.key, m.state, str(m.attempts), when, (m.last_error or "")[:80]
        )
    Console(width=200).print(table)


@app.command()
def retry(
    campaign: Path = CAMPAIGN,
    ids: list[str] = typer.Argument(
        None, help="Dead message ids (all dead messages when none given).", show_default=False
    ),
) -> None:
    """Send dead messages again, with fresh attempts (after fixing the CRM or its secret).

    Example: campaignctl queue retry examples/bottle-caps/campaign.yaml 17 18
    """
    moved = retry_dead(load_campaign(campaign), ids or [])
    typer.echo(f"{moved} dead message(s) queued again")


@app.command("purge-dead")
def purge(
    campaign: Path = CAMPAIGN,
    yes: bool = typer.Option(False, "--yes", help="Do not ask for confirmation."),
) -> None:
    """Delete every dead message for good (they are never delivered).

    Example: campaignctl queue purge-dead examples/bottle-caps/campaign.yaml --yes
    """
    loaded = load_campaign(campaign)
    if not yes:
        typer.confirm("Delete all dead messages?", abort=True)
    typer.echo(f"{purge_dead(loaded)} dead message(s) deleted")
