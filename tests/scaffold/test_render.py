"""`new`: each template renders a valid campaign; answers are kept and replayable."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

from campaignctl.errors import SpecInvalid, UserError
from campaignctl.scaffold import new_campaign
from campaignctl.scaffold.folder import ANSWERS_FILE, CAMPAIGN_FILE
from campaignctl.scaffold.templates import BUILTIN, UnknownTemplate, builtin_folder
from campaignctl.spec import check_file
from campaignctl.spec.loader import load_document


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("template", BUILTIN)
def test_each_template_renders_a_valid_campaign(tmp_path: Path, template: str) -> None:
    dest = tmp_path / f"acme-{template}-2027"
    made = new_campaign(dest, template, no_input=True)
    assert made.report.ok, [d.render() for d in made.report.errors]
    assert check_file(dest / CAMPAIGN_FILE).ok
    data = load_document(dest / CAMPAIGN_FILE).data
    assert data["campaign"]["slug"] == dest.name  # the folder name is the default slug
    assert uuid.UUID(data["campaign"]["id"]).version == 4
    assert template in data["mechanics"]
    first = (dest / CAMPAIGN_FILE).read_text(encoding="utf-8").splitlines()[0]
    target = first.split("$schema=", 1)[1]
    assert (dest / target).resolve().is_file()  # the editor finds the schema
    assert (dest / "README.md").is_file()
    assert (dest / "assets" / "logo.svg").is_file()
    answers = json.loads((dest / ANSWERS_FILE).read_text(encoding="utf-8"))["cookiecutter"]
    assert answers["_template"] == template
    assert answers["__campaign_id"] == data["campaign"]["id"]
    assert "_output_dir" not in answers and "_repo_dir" not in answers
    assert ("organizer_inn", "0000000000") in made.placeholders
    assert [p.name for p in tmp_path.iterdir()] == [dest.name]  # no scratch left behind


def test_answers_reach_the_campaign(tmp_path: Path) -> None:
    made = new_campaign(
        tmp_path / "c",
        "codes",
        answers={
            "brand": "Бриз: лимонады",
            "start": "2027-06-07",
            "registration_end": "2027-08-29",
            "end": "2027-10-31",
            "slug": "briz-2027",
            "registration_channels": "site",
            "weekly_draws": "no",
            "organizer_inn": "7707083893",
            "organizer_ogrn": "1027700132195",
        },
        no_input=True,
    )
    data = load_document(made.folder / CAMPAIGN_FILE).data
    assert data["campaign"]["brand"] == "Бриз: лимонады"  # a colon survives quoting
    assert data["period"]["registration"] == {"start": "2027-06-07", "end": "2027-08-29"}
    assert data["mechanics"]["codes"]["channels"] == ["site"]
    assert "sms" not in data.get("channels", {})
    assert [d["id"] for d in data["draws"]] == ["final"]
    assert ("organizer_inn", "0000000000") not in made.placeholders
    assert made.report.ok


def test_replay_makes_the_same_campaign(tmp_path: Path) -> None:
    first = new_campaign(
        tmp_path / "a" / "one", "receipts", answers={"min_total_rub": "750"}, no_input=True
    )
    again = new_campaign(tmp_path / "b" / "one", replay=first.folder / ANSWERS_FILE)
    assert (again.folder / CAMPAIGN_FILE).read_bytes() == (
        first.folder / CAMPAIGN_FILE
    ).read_bytes()
    assert again.template == "receipts"
    changed = new_campaign(
        tmp_path / "c" / "one", replay=first.folder / ANSWERS_FILE, answers={"min_total_rub": "900"}
    )
    data = load_document(changed.folder / CAMPAIGN_FILE).data
    assert data["mechanics"]["receipts"]["min_total_rub"] == 900


@pytest.mark.parametrize(
    ("answers", "error", "message"),
    [
        ({"colour": "red"}, UserError, "has no question 'colour'"),
        ({"registration_channels": "fax"}, UserError, "answer not accepted"),
        ({"start": "2027-13-01"}, UserError, "answer not accepted"),
        ({"codes_count": "lots"}, SpecInvalid, "invalid campaign"),
    ],
)
def test_bad_answers_write_nothing(
    tmp_path: Path, answers: dict[str, str], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        new_campaign(tmp_path / "c", "codes", answers=answers, no_input=True)
    assert _names(tmp_path) == []


def test_invalid_answers_are_located_by_field(tmp_path: Path) -> None:
    with pytest.raises(SpecInvalid) as raised:
        new_campaign(tmp_path / "c", "codes", answers={"codes_count": "lots"}, no_input=True)
    rendered = raised.value.render()
    assert "codes.count" in rendered
    assert str(tmp_path / "c" / CAMPAIGN_FILE) in rendered


def test_unknown_template(tmp_path: Path) -> None:
    with pytest.raises(UnknownTemplate, match="unknown template 'lottery'"):
        new_campaign(tmp_path / "c", "lottery", no_input=True)
    (tmp_path / "plain").mkdir()
    with pytest.raises(UnknownTemplate, match=r"no cookiecutter\.json"):
        new_campaign(tmp_path / "c", str(tmp_path / "plain"), no_input=True)
    assert _names(tmp_path) == ["plain"]


def test_non_empty_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "campaign.yaml").write_text("mine")
    with pytest.raises(UserError, match="not empty"):
        new_campaign(tmp_path / "c", "codes", no_input=True)
    assert (tmp_path / "c" / "campaign.yaml").read_text() == "mine"


def _team_template(root: Path) -> Path:
    """The built-in codes template as a team keeps it, with an asset and a hook of its own."""
    folder = root / "campaign-templates" / "caps"
    shutil.copytree(builtin_folder("codes"), folder)
    project = folder / "{{cookiecutter.slug}}"
    (project / "assets" / "sms.txt").write_text("Ваш код: {{ code }}\n", encoding="utf-8")
    spec = project / CAMPAIGN_FILE
    text = spec.read_text(encoding="utf-8")
    text = text.replace(
        "    deadline: не позднее {{ cookiecutter.end | ru_date }}\n",
        "    deadline: не позднее {{ cookiecutter.end | ru_date }}\n"
        "  extra_terms:\n"
        '    - "{% raw %}Ответ на SMS: {{ prize }}{% endraw %}"\n',
    )
    spec.write_text(text, encoding="utf-8")
    (folder / "hooks").mkdir()
    (folder / "hooks" / "post_gen_project.py").write_text(
        "open('HOOK-RAN', 'w').write('x')\n", encoding="utf-8"
    )
    return folder


def _check_team_campaign(folder: Path) -> None:
    assert (folder / "assets" / "sms.txt").read_text(encoding="utf-8") == "Ваш код: {{ code }}\n"
    data = load_document(folder / CAMPAIGN_FILE).data
    assert data["rules"]["extra_terms"] == ["Ответ на SMS: {{ prize }}"]
    assert not (folder / "HOOK-RAN").exists()  # a shared template runs no code here


def test_template_from_a_folder(tmp_path: Path) -> None:
    template = _team_template(tmp_path)
    made = new_campaign(tmp_path / "out" / "c1", str(template), no_input=True)
    _check_team_campaign(made.folder)
    assert made.template == str(template.resolve())
    via_directory = new_campaign(
        tmp_path / "out" / "c2", str(template.parent), directory="caps", no_input=True
    )
    _check_team_campaign(via_directory.folder)


def test_template_from_a_git_repository(tmp_path: Path) -> None:
    template = _team_template(tmp_path)
    repo = template.parent
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.ru",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.ru"}  # fmt: skip
    for args in (["init", "-q", "-b", "main"], ["add", "."], ["commit", "-q", "-m", "templates"]):
        subprocess.run(["git", *args], cwd=repo, check=True, env=env)
    url = f"file://{repo}"
    made = new_campaign(tmp_path / "out" / "c1", url, directory="caps", no_input=True)
    _check_team_campaign(made.folder)
    answers = json.loads((made.folder / ANSWERS_FILE).read_text(encoding="utf-8"))["cookiecutter"]
    assert (answers["_template"], answers["_directory"]) == (url, "caps")
    again = new_campaign(tmp_path / "out" / "c2", replay=made.folder / ANSWERS_FILE)
    assert (again.folder / CAMPAIGN_FILE).read_bytes() == (made.folder / CAMPAIGN_FILE).read_bytes()
    with pytest.raises(UnknownTemplate, match="cannot fetch"):
        new_campaign(tmp_path / "out" / "c3", f"file://{tmp_path}/nope", no_input=True)
    assert _names(tmp_path / "out") == ["c1", "c2"]
