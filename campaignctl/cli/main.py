"""The `campaignctl` command and the one boundary that turns errors into exit codes."""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup

from campaignctl import __version__
from campaignctl.cli.budget import budget
from campaignctl.cli.clone import clone
from campaignctl.cli.codes import app as codes_app
from campaignctl.cli.new import new
from campaignctl.cli.plan import plan
from campaignctl.cli.render import render
from campaignctl.cli.validate import validate
from campaignctl.errors import UserError


class _Boundary(TyperGroup):
    """Prints a :class:`UserError` without a traceback and exits with its code.

    Anything else is a bug: it keeps its traceback (Typer prints it, without
    local variables, which may hold secrets).
    """

    def invoke(self, ctx: Any) -> Any:  # typer's vendored click Context
        try:
            return super().invoke(ctx)
        except UserError as exc:
            typer.echo(f"error: {exc.render()}", err=True)
            raise typer.Exit(exc.exit_code) from None


def _version(value: bool) -> None:
    if value:
        typer.echo(f"campaignctl {__version__}")
        raise typer.Exit()


app = typer.Typer(
    cls=_Boundary,
    name="campaignctl",
    help="Campaign-as-code for consumer promotions: one campaign.yaml drives everything.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Campaign-as-code for consumer promotions: one campaign.yaml drives everything."""


app.command()(validate)
app.command()(new)
app.command()(clone)
app.command()(budget)
app.command()(plan)
app.command()(render)
app.add_typer(codes_app, name="codes")


def run() -> None:
    """Console-script entry point."""
    app(prog_name="campaignctl")
