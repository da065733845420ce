"""The `campaignctl` command and the one boundary that turns errors into exit codes.

Commands are loaded lazily: `campaignctl validate` imports the validator, not
weasyprint, Pulumi, cookiecutter or numpy, so a command starts in a fraction of
a second. To add a command, add one line to :data:`COMMANDS`.
"""

from __future__ import annotations

import importlib
from typing import Any

import typer
import typer.main
from typer.core import TyperGroup

from campaignctl import __version__
from campaignctl.errors import UserError

# name -> (module, attribute): a command function, or a Typer app for a group.
COMMANDS: dict[str, tuple[str, str]] = {
    "validate": ("campaignctl.cli.validate", "validate"),
    "new": ("campaignctl.cli.new", "new"),
    "clone": ("campaignctl.cli.clone", "clone"),
    "render": ("campaignctl.cli.render", "render"),
    "codes": ("campaignctl.cli.codes", "app"),
    "budget": ("campaignctl.cli.budget", "budget"),
    "plan": ("campaignctl.cli.plan", "plan"),
    "up": ("campaignctl.cli.runtime", "up"),
    "status": ("campaignctl.cli.runtime", "status"),
    "stop": ("campaignctl.cli.runtime", "stop"),
    "draw": ("campaignctl.cli.draw", "app"),
    "winners": ("campaignctl.cli.winners", "app"),
    "report": ("campaignctl.cli.report", "report"),
    "down": ("campaignctl.cli.down", "down"),
    "queue": ("campaignctl.cli.queue", "app"),
    "loyalty": ("campaignctl.cli.loyalty", "app"),
}


def load_command(name: str) -> Any:
    """Build the click command for ``name`` from its module (imported on first use)."""
    module, attribute = COMMANDS[name]
    target = getattr(importlib.import_module(module), attribute)
    if isinstance(target, typer.Typer):
        group = typer.main.get_group(target)
        group.name = name
        return group
    single = typer.Typer()
    single.command(name=name)(target)
    return typer.main.get_command(single)


class _Boundary(TyperGroup):
    """Loads commands lazily; prints a :class:`UserError` without a traceback.

    Anything else is a bug: it keeps its traceback (Typer prints it, without
    local variables, which may hold secrets).
    """

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in COMMANDS:
            return None
        return load_command(cmd_name)

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


def run() -> None:
    """Console-script entry point."""
    app(prog_name="campaignctl")
