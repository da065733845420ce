"""Campaign templates: the built-in ones, a team's folder, or a git repository.

A template is a cookiecutter template whose project folder holds a
``campaign.yaml``; its ``cookiecutter.json`` holds the questions and defaults.
The built-in templates live in ``templates/campaigns/`` (``campaignctl/_data``
in an installed wheel).
"""

from __future__ import annotations

import json
import logging
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cookiecutter.exceptions import CookiecutterException
from cookiecutter.repository import determine_repo_dir, is_repo_url, is_zip_file

from campaignctl.errors import UserError
from campaignctl.resources import data_dir

BUILTIN = ("codes", "receipts", "loyalty")


class UnknownTemplate(UserError):
    """The template reference names nothing campaignctl can render."""


@dataclass(frozen=True)
class Template:
    """A campaign template ready to render from a local folder."""

    ref: str
    """As the user named it: a built-in name, an absolute folder path or a git URL."""
    folder: Path
    context: dict[str, Any]
    """The template's ``cookiecutter.json``."""
    checkout: str | None = None
    directory: str | None = None

    @property
    def questions(self) -> tuple[str, ...]:
        """Variables an answer can be given for (cookiecutter's private ``_x`` aside)."""
        return tuple(k for k in self.context if not k.startswith("_"))

    @property
    def review(self) -> tuple[str, ...]:
        """Answers whose defaults are placeholders the account manager must replace."""
        keys = self.context.get("_review", [])
        return tuple(str(k) for k in keys) if isinstance(keys, list) else ()

    def default(self, key: str) -> Any:
        return self.context.get(key)


def builtin_folder(name: str) -> Path:
    return data_dir("templates") / "campaigns" / name


def _read_context(folder: Path, ref: str) -> dict[str, Any]:
    path = folder / "cookiecutter.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UnknownTemplate(
            f"template {ref!r} has no cookiecutter.json",
            hint="a campaign template is a cookiecutter template; see docs/templates.md",
            path=folder,
        ) from None
    except (OSError, ValueError) as exc:
        raise UserError(f"cannot read the template's questions: {exc}", path=path) from None
    if not isinstance(data, dict):
        raise UserError("cookiecutter.json must hold an object of questions", path=path)
    return data


def _reason(exc: Exception) -> str:
    if isinstance(exc, subprocess.CalledProcessError):
        output = exc.output.decode("utf-8", "replace") if isinstance(exc.output, bytes) else ""
        fatal = [line for line in output.splitlines() if line.startswith("fatal:")]
        return fatal[0] if fatal else f"git exited with {exc.returncode}"
    return str(exc)


def _unknown(ref: str) -> UnknownTemplate:
    return UnknownTemplate(
        f"unknown template {ref!r}",
        hint=f"use one of {', '.join(BUILTIN)}, a folder with cookiecutter.json, or a git URL",
    )


@contextmanager
def open_template(
    ref: str, *, workdir: Path, checkout: str | None = None, directory: str | None = None
) -> Iterator[Template]:
    """Resolve ``ref`` to a local template folder (cloning a git URL into ``workdir``)."""
    if ref in BUILTIN and directory is None:
        folder = builtin_folder(ref)
        yield Template(ref, folder, _read_context(folder, ref))
        return
    if is_repo_url(ref) or is_zip_file(ref):
        workdir.mkdir(parents=True, exist_ok=True)
        vcs_log = logging.getLogger("cookiecutter")
        was_disabled, vcs_log.disabled = vcs_log.disabled, True  # it logs git's traceback
        try:
            local, _ = determine_repo_dir(
                template=ref,
                abbreviations={},
                clone_to_dir=str(workdir),
                checkout=checkout,
                no_input=True,
                directory=directory,
            )
        except (CookiecutterException, subprocess.CalledProcessError, OSError) as exc:
            raise UnknownTemplate(
                f"cannot fetch template {ref!r}: {_reason(exc)}",
                hint="check the URL, the --checkout ref and the --directory inside the repository",
            ) from None
        finally:
            vcs_log.disabled = was_disabled
        folder = Path(local)
        yield Template(ref, folder, _read_context(folder, ref), checkout, directory)
        return
    base = Path(ref).expanduser()
    folder = base / directory if directory else base
    if not folder.is_dir():
        raise _unknown(ref)
    yield Template(str(base.resolve()), folder, _read_context(folder, ref), None, directory)
