"""`campaignctl winners ...`: list, set-state, tax-data, tax, export."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from campaignctl.errors import UserError
from campaignctl.spec import load_campaign
from campaignctl.winners.claims import list_winners, set_state
from campaignctl.winners.export import logistics_rows, write_logistics
from campaignctl.winners.store import campaign_store
from campaignctl.winners.taxes import set_tax_data, tax_lines

app = typer.Typer(
    name="winners",
    help="Winners after the draws: claim states, tax data, NDFL, the logistics export.",
    no_args_is_help=True,
)
CAMPAIGN = typer.Argument(..., help="The campaign.yaml.", show_default=False)


@app.command(name="list")
def list_(
    campaign: Path = CAMPAIGN,
    round_name: str | None = typer.Option(
        None, "--round", help="Only this round.", show_default=False
    ),
) -> None:
    """List winners and reserves with their claim states (phones masked).

    Example: campaignctl winners list examples/bottle-caps/campaign.yaml --round week-01
    """
    spec = load_campaign(campaign)
    with campaign_store(spec) as (engine, _sealer), engine.connect() as conn:
        found = list_winners(conn, round_id=round_name)
    table = Table(title=f"Winners of {spec.slug}", title_justify="left")
    for column in ("id", "round", "prize", "kind", "rank", "phone", "state", "tax data"):
        table.add_column(column)
    for w in found:
        table.add_row(
            str(w.id),
            w.round_id,
            w.prize_id,
            w.kind,
            str(w.rank),
            w.phone_masked,
            w.claim_state + (f" (replaces {w.replaces_id})" if w.replaces_id else ""),
            "yes" if w.has_tax_data else "",
        )
    Console(highlight=False, width=120).print(table)


@app.command(name="set-state")
def set_state_(
    campaign: Path = CAMPAIGN,
    winner: int = typer.Argument(..., help="Winner id (see 'winners list').", show_default=False),
    state: str = typer.Argument(
        ...,
        help="notified, documents_received, delivered, handed_over or refused.",
        show_default=False,
    ),
) -> None:
    """Move a winner's claim forward; refusing hands the prize to the next reserve.

    Example: campaignctl winners set-state examples/bottle-caps/campaign.yaml 3 notified
    """
    spec = load_campaign(campaign)
    with campaign_store(spec) as (engine, _sealer):
        change = set_state(engine, winner, state)
    typer.echo(f"winner {change.winner.id}: {change.winner.claim_state}")
    if change.promoted is not None:
        p = change.promoted
        typer.echo(f"reserve {p.id} ({p.phone_masked}) now wins {p.prize_id} in round {p.round_id}")
    elif state == "refused":
        typer.echo("no reserve left for this prize: it stays unawarded")


@app.command(name="tax-data")
def tax_data(
    campaign: Path = CAMPAIGN,
    winner: int = typer.Argument(..., help="Winner id.", show_default=False),
    data: Path = typer.Option(
        ...,
        "--file",
        help="JSON with full_name, birth_date, passport, inn, address.",
        show_default=False,
    ),
) -> None:
    """Store a winner's tax data (prizes over 4,000 RUB), sealed; delete the JSON afterwards.

    Example: campaignctl winners tax-data examples/bottle-caps/campaign.yaml 3 --file w3.json
    """
    spec = load_campaign(campaign)
    try:
        raw = json.loads(data.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UserError(f"cannot read tax data: {exc}", path=data) from None
    if not isinstance(raw, dict) or not all(isinstance(v, str) for v in raw.values()):
        raise UserError("tax data must be a JSON object of strings", path=data)
    with campaign_store(spec) as (engine, sealer):
        set_tax_data(engine, sealer, winner, raw)
    typer.echo(f"winner {winner}: tax data stored sealed; now delete {data}")


@app.command()
def tax(
    campaign: Path = CAMPAIGN, as_json: bool = typer.Option(False, "--json", help="Print JSON.")
) -> None:
    """NDFL per winner per calendar year: 35% above 4,000 RUB of all their promo prizes.

    Shows each taxable participant's prize value V for the year, the cash part
    C = 0.35 * (V - 4000) / 0.65 the organizer adds, and the tax withheld.

    Example: campaignctl winners tax examples/bottle-caps/campaign.yaml
    """
    spec = load_campaign(campaign)
    with campaign_store(spec) as (engine, _sealer), engine.connect() as conn:
        lines = tax_lines(conn, spec)
    if as_json:
        typer.echo(json.dumps([line.as_json() for line in lines], ensure_ascii=False, indent=2))
        return
    table = Table(title=f"NDFL on prizes, {spec.slug}", title_justify="left")
    for column in ("participant", "year", "prizes", "V, RUB", "cash part C", "NDFL"):
        table.add_column(column, justify="right" if column[0] in "VcN" else "left")
    for line in lines:
        table.add_row(
            str(line.participant_id),
            str(line.year),
            ", ".join(line.prizes),
            f"{line.value_rub:,.2f}",
            f"{line.cash_part_rub:,.2f}",
            f"{line.ndfl_rub:,.0f}",
        )
    Console(highlight=False, width=120).print(table)


@app.command()
def export(
    campaign: Path = CAMPAIGN,
    out: Path = typer.Option(..., "--out", help="CSV file to write (0600).", show_default=False),
) -> None:
    """Write the CSV for the prize logistics contractor: due prizes, names, phones, addresses.

    Example: campaignctl winners export examples/bottle-caps/campaign.yaml --out /tmp/prizes.csv
    """
    spec = load_campaign(campaign)
    with campaign_store(spec) as (engine, sealer):
        rows = logistics_rows(engine, spec, sealer)
    write_logistics(rows, out)
    typer.echo(f"wrote {len(rows)} prizes to {out} (personal data: hand over, then delete)")
