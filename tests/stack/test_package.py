"""The function package: reproducible, complete, and without the state folder's keys."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

from campaignctl.spec import load_campaign
from campaignctl.stack.yandex.naming import HANDLER_MODULE
from campaignctl.stack.yandex.package import build_bundle, runtime_requirements
from tests.stack.conftest import campaign_path


def test_bundle_is_reproducible_and_excludes_state(tmp_path: Path) -> None:
    folder = tmp_path / "campaign"
    shutil.copytree(campaign_path("receipt-draw").parent, folder)
    state = folder / ".campaignctl"
    state.mkdir(exist_ok=True)
    (state / "codes.key").write_text("secret key material")
    campaign = load_campaign(folder / "campaign.yaml")
    first = build_bundle(campaign, tmp_path / "a")
    second = build_bundle(campaign, tmp_path / "b")
    assert first.sha256 == second.sha256
    names = zipfile.ZipFile(first.path).namelist()
    assert "campaign/campaign.yaml" in names
    assert "campaign/consent.md" in names
    assert "campaignctl/_data/schemas/campaign.schema.json" in names
    assert "campaignctl/stack/yandex/program.py" in names
    assert "requirements.txt" in names
    assert not [n for n in names if ".campaignctl" in n or n.endswith(".pyc")]
    # The handler module is the runtime issue's; the entry points name it.
    assert HANDLER_MODULE == "campaignctl.stack.yandex.handler"


def test_requirements_leave_out_deploy_tools() -> None:
    requirements = runtime_requirements()
    names = {r.split("==")[0].split("[")[0] for r in requirements}
    assert "sqlalchemy" in names
    assert "pymysql" in names
    assert not names & {"pulumi", "pulumi-yandex", "cookiecutter", "hatchling"}
    assert all("==" in r for r in requirements)
