"""Generated docs match the code, and every command is documented."""

from __future__ import annotations

from typing import Any

import pytest
import typer.main

from campaignctl.cli.main import app
from campaignctl.docs import GENERATED
from tests.conftest import ROOT


@pytest.mark.parametrize("relative", sorted(GENERATED))
def test_generated_doc_is_current(relative: str) -> None:
    committed = (ROOT / relative).read_text(encoding="utf-8")
    assert committed == GENERATED[relative](), f"{relative} is stale: run `make docs`"


def _commands(command: Any, name: str = "campaignctl") -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    if not hasattr(command, "list_commands"):
        return found
    ctx = typer.Context(command, info_name=name)
    for sub_name in command.list_commands(ctx):
        sub = command.get_command(ctx, sub_name)
        found.append((f"{name} {sub_name}", sub))
        found += _commands(sub, f"{name} {sub_name}")
    return found


COMMANDS = _commands(typer.main.get_command(app))


def test_there_are_commands() -> None:
    assert COMMANDS


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_command_has_help_example_and_docs(name: str, command: Any) -> None:
    assert command.help, f"{name} has no help"
    assert command.get_short_help_str(), f"{name} has no one-line help"
    cli_doc = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert f"## `{name}`" in cli_doc
    if not hasattr(command, "list_commands"):
        assert "Example:" in command.help, f"{name} help has no Example: line"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    top = name.split()[1]
    assert f"campaignctl {top}" in readme, f"README does not mention `campaignctl {top}`"
