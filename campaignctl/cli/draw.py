"""`campaignctl draw CAMPAIGN.yaml --round NAME` and `campaignctl draw verify PROTOCOL`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from typer.core import TyperGroup

from campaignctl.draws.service import commit_round, draw_round
from campaignctl.draws.verify import verify as verify_protocol
from campaignctl.spec import load_campaign


class _DefaultRun(TyperGroup):
    """``draw CAMPAIGN.yaml ...`` means ``draw run CAMPAIGN.yaml ...``; ``draw verify`` stays."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["run", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(
    name="draw",
    cls=_DefaultRun,
    help="Verifiable prize draws: commit to a seed, draw a round, verify a protocol.",
    no_args_is_help=True,
)


@app.command(name="run")
def run_draw(
    campaign: Path = typer.Argument(..., help="The campaign.yaml.", show_default=False),
    round_name: str = typer.Option(
        ..., "--round", help="The draw id from the spec's draws[].", show_default=False
    ),
    commit_only: bool = typer.Option(
        False,
        "--commit-only",
        help="Only commit to the seed and print its SHA-256 for publication; draw later.",
    ),
) -> None:
    """Draw a round (also what `campaignctl draw CAMPAIGN.yaml` runs).

    Collects the round's eligible entries (entries window, moderation, voided
    codes excluded), reveals the seed committed before (or commits now),
    draws winners and reserves, writes draws/ROUND/ (entries.csv,
    protocol.json, protocol.html, protocol.pdf) and records the winners. A
    round is drawn once; drawing again, or a round without eligible entries,
    exits 1 and writes nothing.

    Example: campaignctl draw examples/bottle-caps/campaign.yaml --round week-01
    """
    spec = load_campaign(campaign)
    if commit_only:
        done = commit_round(spec, round_name)
        state = "committed" if done.new else "already committed"
        typer.echo(f"round {done.round}: {state} at {done.committed_at.isoformat()}")
        typer.echo(f"publish this SHA-256 of the seed before the entries close: {done.commitment}")
        return
    drawn = draw_round(spec, round_name)
    p = drawn.protocol
    typer.echo(
        f"round {p.info.round}: {len(p.winners())} winners and {len(p.reserves())} reserves "
        f"drawn from {p.entries_count} entries ({p.persons} participants)"
    )
    typer.echo(f"seed commitment {p.commitment}, entries hash {p.entries_sha256}")
    for path in drawn.files:
        typer.echo(f"wrote {path}")


@app.command()
def verify(
    protocol: Path = typer.Argument(..., help="The protocol.json of a round.", show_default=False),
    entries: Path | None = typer.Option(
        None,
        "--entries",
        help="The published entries file (default: the one named in the protocol, next to it).",
        show_default=False,
    ),
) -> None:
    """Re-run a draw from its published protocol and entries file; exit 1 if anything differs.

    Checks that the revealed seed hashes to the published commitment, that the
    entries file hashes to the protocol's entries hash, and that drawing again
    gives exactly the protocol's winners and reserves. Needs no database or key.

    Example: campaignctl draw verify examples/bottle-caps/draws/week-01/protocol.json
    """
    result = verify_protocol(protocol, entries)
    for check in result.checks:
        typer.echo(f"ok: {check}")
    typer.echo(f"protocol of round {result.protocol.info.round} verified")
