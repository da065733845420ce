"""`campaignctl up`, `campaignctl status`, `campaignctl stop`: the campaign's runtime."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import typer

from campaignctl.runtime import process
from campaignctl.runtime.up import Plan, deploy_yandex, prepare, start
from campaignctl.spec import load_campaign

CAMPAIGN = typer.Argument(
    ..., metavar="CAMPAIGN.yaml", help="The campaign file.", show_default=False
)


def _urls(base: str, plan_token: Path) -> str:
    return (
        f"  site:      {base}/\n"
        f"  API docs:  {base}/docs  (OpenAPI: {base}/openapi.json)\n"
        f"  admin:     {base}/admin  (token in {plan_token}, 0600: "
        f"paste it at the login prompt or send it as 'Authorization: Bearer <token>')"
    )


def up(
    campaign: Path = CAMPAIGN,
    target: str = typer.Option(
        "", "--target", help="local or yandex (default: infrastructure.target of the spec)."
    ),
    port: int | None = typer.Option(
        None, "--port", help="Local port (default: infrastructure.local.port).", show_default=False
    ),
    detach: bool = typer.Option(
        False,
        "--detach",
        help="Return once the server answers; it keeps running in the background.",
    ),
    clock: str | None = typer.Option(
        None,
        "--clock",
        help="Rehearsal clock for the local target: 'start' (noon of the first registration day) "
        "or an ISO date-time; time runs on from there.",
        show_default=False,
    ),
    workers: int | None = typer.Option(
        None,
        "--workers",
        min=1,
        max=64,
        help="HTTP server processes for the local target (default: one per core, at most 4).",
        show_default=False,
    ),
) -> None:
    """Stand the campaign up: validate, render, migrate, ensure the key, serve site + API + workers.

    Running it again on a live campaign applies the changed spec (re-render,
    migrate, restart) and keeps every registration. Ctrl-C stops a foreground run.

    Example: campaignctl up examples/bottle-caps/campaign.yaml --detach
    """
    spec = load_campaign(campaign)
    chosen = target or spec.infrastructure.target
    if chosen == "yandex":
        outputs = deploy_yandex(spec, on_output=lambda line: typer.echo(line, nl=False))
        for key, value in sorted(outputs.items()):
            typer.echo(f"  {key}: {value}")
        return
    if chosen != "local":
        raise typer.BadParameter(f"--target must be local or yandex, got {chosen!r}")
    plan: Plan = prepare(spec, port=port, clock=clock)
    if plan.replaced:
        typer.echo("Stopped the running server to apply the new spec (data kept).")
    if plan.clock_offset:
        at = datetime.now(UTC) + timedelta(seconds=plan.clock_offset)
        zone = ZoneInfo(spec.period.timezone)
        typer.echo(
            f"Rehearsal clock: the server believes it is {at.astimezone(zone):%Y-%m-%d %H:%M %Z}."
        )
    running = start(spec, plan, detach=True, workers=workers) if detach else None
    typer.echo(
        f"{spec.campaign.name} is up:"
        if detach
        else f"Serving {spec.campaign.name} (Ctrl-C stops):"
    )
    typer.echo(_urls(plan.base_url, plan.admin_token))
    if running is not None:
        log = process.log_path(spec)
        typer.echo(f"  pid {running.pid}, log {log}; stop with: campaignctl stop {campaign}")
        return
    start(spec, plan, detach=False, workers=workers)
    typer.echo("Stopped.")


def status(
    campaign: Path = CAMPAIGN,
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Running or not, URLs, registrations, codes redeemed by batch, queue depth.

    Example: campaignctl status examples/bottle-caps/campaign.yaml --json
    """
    from campaignctl.runtime.report import campaign_status  # noqa: PLC0415

    report = campaign_status(load_campaign(campaign))
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    typer.echo(
        f"{report['campaign']}: {'running at ' + report['url'] if report['running'] else 'not running'}"
    )
    stats = report["registrations"]
    typer.echo(f"  registrations: {stats['total']} total, {stats['today']} today")
    for label, key in (("by channel", "by_channel"), ("by outcome", "by_outcome")):
        if stats[key]:
            typer.echo(
                f"  {label}: " + ", ".join(f"{k} {v}" for k, v in sorted(stats[key].items()))
            )
    for batch, count in sorted(report["codes_redeemed"].items()):
        typer.echo(f"  codes redeemed in {batch}: {count}")
    if report["queue"]:
        typer.echo("  queue: " + ", ".join(f"{k} {v}" for k, v in sorted(report["queue"].items())))


def stop(campaign: Path = CAMPAIGN) -> None:
    """Stop the local server; the database, keys and uploads stay.

    Example: campaignctl stop examples/bottle-caps/campaign.yaml
    """
    spec = load_campaign(campaign)
    typer.echo("Stopped." if process.stop(spec) else "Not running.")
