"""The build folder: deterministic, all or nothing, never replacing a foreign folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from campaignctl.model import Campaign
from campaignctl.render.build import MANIFEST, OutputNotOurs, OutputUnwritable, render
from campaignctl.render.environment import TemplateFailed
from campaignctl.spec import load_campaign
from tests.conftest import ROOT

BOTTLE_CAPS = ROOT / "examples" / "bottle-caps"


def _files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def campaign(tmp_path: Path) -> Campaign:
    """A copy of an example, so overrides and the default build folder stay in tmp."""
    folder = tmp_path / "campaign"
    shutil.copytree(BOTTLE_CAPS, folder, ignore=shutil.ignore_patterns("build"))
    return load_campaign(folder / "campaign.yaml")


def test_rerender_is_byte_identical(campaign: Campaign, tmp_path: Path) -> None:
    first = render(campaign, tmp_path / "one")
    second = render(campaign, tmp_path / "two")
    assert [(w.path, w.sha256) for w in first] == [(w.path, w.sha256) for w in second]
    assert _files(tmp_path / "one") == _files(tmp_path / "two")
    assert {w.part for w in first} == {"site", "rules", "pos", "crm", "texts"}


def test_default_out_and_replacing_a_build(campaign: Campaign) -> None:
    render(campaign, only=("pos",))
    out = campaign.folder / "build"
    assert (out / "pos" / "compact.txt").is_file()
    assert (out / MANIFEST).is_file()
    (out / "pos" / "stale.txt").write_text("old", encoding="utf-8")
    render(campaign, only=("pos", "crm"))
    assert not (out / "pos" / "stale.txt").exists()
    assert (out / "crm" / "mapping.json").is_file()
    assert [p.name for p in campaign.folder.iterdir() if p.name.startswith(".")] == []


def test_only_keeps_the_other_parts(campaign: Campaign, tmp_path: Path) -> None:
    out = tmp_path / "out"
    render(campaign, out, only=("pos", "texts"))
    sms = (out / "texts" / "sms.json").read_bytes()
    written = render(campaign, out, only=("crm",))
    assert (out / "texts" / "sms.json").read_bytes() == sms
    assert {w.part for w in written} == {"pos", "texts", "crm"}


def test_template_error_leaves_the_previous_build(campaign: Campaign, tmp_path: Path) -> None:
    out = tmp_path / "out"
    render(campaign, out, only=("pos", "rules"))
    before = _files(out)
    override = campaign.folder / "templates" / "rules_doc" / "fragment.html"
    override.parent.mkdir(parents=True)
    override.write_text("<article>{% if %}</article>\n", encoding="utf-8")
    with pytest.raises(TemplateFailed, match=r"fragment\.html:1"):
        render(campaign, out)
    assert _files(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["campaign", "out"]


def test_refuses_a_folder_it_did_not_write(campaign: Campaign, tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(OutputNotOurs, match="not written by campaignctl"):
        render(campaign, out, only=("pos",))
    assert _files(out) == {"notes.txt": b"keep me"}


def test_output_under_a_file_is_unwritable(campaign: Campaign, tmp_path: Path) -> None:
    blocker = tmp_path / "file.txt"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(OutputUnwritable, match=r"file\.txt"):
        render(campaign, blocker / "build", only=("pos",))
    with pytest.raises(OutputUnwritable, match="not a folder"):
        render(campaign, blocker, only=("pos",))
