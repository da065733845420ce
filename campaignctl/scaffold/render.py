"""`campaignctl new`: render a campaign template into a new campaign folder.

Cookiecutter asks the questions (or takes the answers given), renders into a
scratch folder, and the campaign moves into place only if it validates. The
answers are kept next to the campaign in cookiecutter's replay format, so the
campaign can be made again with ``new --replay`` (or ``cookiecutter --replay-file``).
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from cookiecutter.exceptions import CookiecutterException
from cookiecutter.main import cookiecutter
from jinja2 import TemplateError

from campaignctl.errors import SpecInvalid, UserError
from campaignctl.scaffold.folder import (
    ANSWERS_FILE,
    CAMPAIGN_FILE,
    ensure_free,
    point_schema_comment,
    staged,
)
from campaignctl.scaffold.templates import Template, open_template
from campaignctl.spec import Report, check_file
from campaignctl.spec.schema import is_slug

# Kept out of the answers file: where the template was rendered on this machine.
_LOCAL_KEYS = ("_output_dir", "_repo_dir")


@dataclass(frozen=True)
class NewCampaign:
    folder: Path
    template: str
    answers: dict[str, Any]
    report: Report
    placeholders: tuple[tuple[str, Any], ...]
    """Answers the template marks for review that still hold its default."""


def read_answers(path: Path) -> dict[str, Any]:
    """A replay file written by ``new`` (or by cookiecutter itself)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UserError("answers file not found", path=path) from None
    except (OSError, ValueError) as exc:
        raise UserError(f"cannot read the answers file: {exc}", path=path) from None
    if not isinstance(data, dict) or not isinstance(data.get("cookiecutter"), dict):
        raise UserError(
            "not an answers file: expected an object with a 'cookiecutter' object",
            hint=f"use the {ANSWERS_FILE} of a campaign made with 'campaignctl new'",
            path=path,
        )
    return data


def _check_keys(template: Template, answers: Mapping[str, Any], path: Path | None = None) -> None:
    unknown = [k for k in answers if k not in template.questions]
    if unknown:
        raise UserError(
            f"template {template.ref!r} has no question {', '.join(map(repr, unknown))}",
            hint=f"its questions are: {', '.join(template.questions)}",
            path=path,
        )


def _run_cookiecutter(
    template: Template, extra: dict[str, Any], no_input: bool, work: Path
) -> tuple[Path, dict[str, Any]]:
    """Render into ``work/out``; return the project folder and cookiecutter's replay."""
    config = {"replay_dir": str(work / "replay"), "cookiecutters_dir": str(work / "cache")}
    try:
        project = cookiecutter(
            str(template.folder),
            no_input=no_input,
            extra_context=extra or None,
            output_dir=str(work / "out"),
            default_config=config,
            accept_hooks=False,  # a shared template must not run code on this machine
        )
    except EOFError:
        raise UserError(
            "the template asks questions but there is no one to answer them",
            hint="run it on a terminal, or pass --no-input with --set key=value for each answer",
        ) from None
    except (CookiecutterException, TemplateError) as exc:
        raise UserError(f"template {template.ref!r} failed to render: {exc}") from None
    except (ValueError, ArithmeticError) as exc:  # a choice not offered, an unreadable date
        raise UserError(f"answer not accepted: {exc}") from None
    replays = sorted((work / "replay").glob("*.json"))
    replay: dict[str, Any] = json.loads(replays[0].read_text(encoding="utf-8")) if replays else {}
    return Path(project), replay


def _answers_record(template: Template, replay: dict[str, Any]) -> dict[str, Any]:
    answers = dict(replay.get("cookiecutter", {}))
    for key in _LOCAL_KEYS:
        answers.pop(key, None)
    answers["_template"] = template.ref
    answers["_checkout"] = template.checkout
    answers["_directory"] = template.directory
    return {**replay, "cookiecutter": answers}


class InvalidAnswers(SpecInvalid):
    """The answers render a campaign that does not validate; every problem is listed."""

    def __init__(self, report: Report, final: Path) -> None:
        super().__init__(final, [replace(d, file=str(final)) for d in report.diagnostics])
        self.message = f"the answers make an invalid campaign ({self.message}); nothing was written"
        self.args = (self.message,)


def new_campaign(
    dest: Path,
    template: str | None = None,
    *,
    answers: Mapping[str, Any] | None = None,
    no_input: bool = False,
    replay: Path | None = None,
    checkout: str | None = None,
    directory: str | None = None,
) -> NewCampaign:
    """Render ``template`` into the new folder ``dest``; it must validate.

    ``answers`` override the template's defaults (and skip their questions when
    ``no_input``); ``replay`` starts from a previous campaign's answers file.
    """
    ensure_free(dest)
    given = dict(answers or {})
    if replay is not None:
        recorded = read_answers(replay)["cookiecutter"]
        template = template or str(recorded.get("_template") or "codes")
        checkout = checkout or recorded.get("_checkout")
        directory = directory or recorded.get("_directory")
        base = {k: v for k, v in recorded.items() if not k.startswith("_") or k.startswith("__")}
        given = {**base, **given}
        no_input = True
    with tempfile.TemporaryDirectory(prefix="campaignctl-new-") as tmp:
        work = Path(tmp)
        with open_template(
            template or "codes", workdir=work / "repo", checkout=checkout, directory=directory
        ) as tpl:
            visible = {k: v for k, v in given.items() if not k.startswith("__")}
            _check_keys(tpl, visible, replay)
            hidden = {k: v for k, v in given.items() if k.startswith("__") and k in tpl.context}
            extra = {**visible, **hidden}
            if "slug" in tpl.questions and "slug" not in extra and is_slug(dest.name):
                extra["slug"] = dest.name
            with staged(dest) as scratch:
                project, replay_data = _run_cookiecutter(tpl, extra, no_input, work)
                if not (project / CAMPAIGN_FILE).is_file():
                    raise UserError(
                        f"template {tpl.ref!r} made no {CAMPAIGN_FILE}",
                        hint="a campaign template's project folder holds campaign.yaml",
                    )
                for child in project.iterdir():
                    shutil.move(str(child), scratch / child.name)
                record = _answers_record(tpl, replay_data)
                (scratch / ANSWERS_FILE).write_text(
                    json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
                )
                point_schema_comment(scratch / CAMPAIGN_FILE)
                report = check_file(scratch / CAMPAIGN_FILE)
                if not report.ok:
                    raise InvalidAnswers(report, dest / CAMPAIGN_FILE)
    final = check_file(dest / CAMPAIGN_FILE)
    chosen: dict[str, Any] = record["cookiecutter"]
    placeholders = tuple((k, chosen.get(k)) for k in tpl.review if chosen.get(k) == tpl.default(k))
    return NewCampaign(dest, tpl.ref, chosen, final, placeholders)
