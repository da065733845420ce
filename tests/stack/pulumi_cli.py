"""The pulumi CLI as the Automation API sees it, for a machine where it cannot be installed.

The Automation API drives the CLI through one seam, ``PulumiCommand.run(args,
cwd, env)``. :class:`EmulatedCli` answers the commands ``deploy`` and
``destroy`` use, keeping state where the real CLI keeps it: the stack in the
file backend named by the project's ``Pulumi.yaml`` in the work_dir, and the
stack's config in ``Pulumi.<stack>.yaml`` beside it. So a test sees what a real
second run would see: a workspace thrown away loses the config, a kept one
does not. It runs no program: ``up`` records the config the program would
read and puts :attr:`EmulatedCli.resources` (what the test says the program
declares) into the state, unprotected when ``campaignctl:unprotect`` is true;
``destroy --exclude-protected`` keeps the protected ones and what they stand
on (:attr:`EmulatedCli.stands_on`), as Pulumi does. It encrypts nothing
(secrets are stored base64, marked ``secure``).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml
from pulumi._version import version as sdk_version
from pulumi.automation import CommandResult, PulumiCommand
from pulumi.automation.errors import create_command_error


@dataclass
class Run:
    """One ``up`` or ``destroy``: the stack's config as the program would have read it."""

    kind: str
    stack: str
    work_dir: str
    config: dict[str, str]
    args: list[str]


@dataclass
class EmulatedCli(PulumiCommand):
    runs: list[Run] = field(default_factory=list)
    resources: list[dict[str, Any]] = field(default_factory=list)
    """State entries (``type``, ``urn``, ``custom``, ``protect``, ``outputs``) ``up`` deploys."""
    stands_on: dict[str, set[str]] = field(default_factory=dict)
    """Logical name -> the logical names it depends on, kept with it by a partial destroy."""
    command: str = "/emulated/pulumi"
    version: Any = field(default_factory=lambda: sdk_version)
    """The CLI of the SDK's own version (``destroy`` of an inline program needs 3.181 or later)."""

    def run(
        self,
        args: list[str],
        cwd: str,
        additional_env: Mapping[str, str],
        on_output: Any = None,
        on_error: Any = None,
    ) -> CommandResult:
        words = [a for a in args if a != "--non-interactive"]
        stack = _option(words, "--stack")
        folder = Path(cwd)
        match words:
            case ["stack", "select", *_]:
                if not self._stack_file(folder, stack).exists():
                    _fail(f"error: no stack named '{stack}' found")
            case ["stack", "init", name, *_]:
                path = self._stack_file(folder, name)
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(json.dumps({"history": []}))
            case ["config", "--show-secrets", "--json", *_]:
                return _ok(json.dumps(self._config_json(folder, stack)))
            case ["config", "set", key, *rest]:
                value = rest[rest.index("--") + 1]
                config = self._config(folder, stack)
                config[key] = {"secure": _seal(value)} if "--secret" in rest else value
                self._save_config(folder, stack, config)
            case ["up", *_] | ["destroy", *_]:
                self._record(folder, stack, words)
            case ["stack", "output", "--json", *_]:
                return _ok("{}")
            case ["stack", "export", *_]:
                state = json.loads(self._stack_file(folder, stack).read_text())
                deployment = {"resources": state.get("resources", [])}
                return _ok(json.dumps({"version": 3, "deployment": deployment}))
            case ["stack", "history", "--json", *_]:
                history = json.loads(self._stack_file(folder, stack).read_text())["history"]
                size = _option(words, "--page-size")
                return _ok(json.dumps(history[::-1][: int(size)] if size else history[::-1]))
            case _:
                raise AssertionError(f"the emulated pulumi CLI does not know {words}")
        return _ok("")

    def _record(self, folder: Path, stack: str, words: list[str]) -> None:
        config = {key: entry["value"] for key, entry in self._config_json(folder, stack).items()}
        self.runs.append(Run(words[0], stack, str(folder), config, words))
        path = self._stack_file(folder, stack)
        state = json.loads(path.read_text())
        if words[0] == "up":
            unprotect = config.get("campaignctl:unprotect") == "true"
            state["resources"] = [
                {**r, "protect": r["protect"] and not unprotect} for r in self.resources
            ]
        elif "--exclude-protected" in words:
            kept = {_logical(r) for r in state.get("resources", []) if r["protect"]}
            kept |= {d for name in kept for d in self.stands_on.get(name, ())}
            state["resources"] = [r for r in state["resources"] if _logical(r) in kept]
        else:
            state["resources"] = []
        now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        state["history"].append(
            {
                "kind": "update" if words[0] == "up" else "destroy",
                "startTime": now,
                "endTime": now,
                "message": "",
                "environment": {},
                "config": {},
                "result": "succeeded",
            }
        )
        path.write_text(json.dumps(state))

    @staticmethod
    def _stack_file(folder: Path, stack: str) -> Path:
        project = yaml.safe_load((folder / "Pulumi.yaml").read_text())
        backend = project["backend"]["url"]
        assert backend.startswith("file://"), backend
        return (
            Path(backend.removeprefix("file://"))
            / ".pulumi"
            / "stacks"
            / project["name"]
            / (stack + ".json")
        )

    @staticmethod
    def _config(folder: Path, stack: str) -> dict[str, Any]:
        path = folder / f"Pulumi.{stack}.yaml"
        if not path.exists():
            return {}
        return dict((yaml.safe_load(path.read_text()) or {}).get("config") or {})

    @staticmethod
    def _save_config(folder: Path, stack: str, config: dict[str, Any]) -> None:
        (folder / f"Pulumi.{stack}.yaml").write_text(yaml.safe_dump({"config": config}))

    def _config_json(self, folder: Path, stack: str) -> dict[str, dict[str, Any]]:
        out = {}
        for key, value in self._config(folder, stack).items():
            if isinstance(value, dict):
                out[key] = {"value": _open(value["secure"]), "secret": True}
            else:
                out[key] = {"value": value, "secret": False}
        return out


def _logical(resource: Mapping[str, Any]) -> str:
    return str(resource["urn"]).rpartition("::")[2]


def _option(words: list[str], name: str) -> str:
    return words[words.index(name) + 1] if name in words else ""


def _seal(value: str) -> str:
    return base64.b64encode(value.encode()).decode()


def _open(sealed: str) -> str:
    return base64.b64decode(sealed).decode()


def _ok(stdout: str) -> CommandResult:
    return CommandResult(stdout=stdout, stderr="", code=0)


def _fail(stderr: str) -> None:
    raise create_command_error(CommandResult(stdout="", stderr=stderr, code=255))
