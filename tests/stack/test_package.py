"""The function package: reproducible, complete, and without the state folder's keys."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from campaignctl.errors import UserError
from campaignctl.spec import load_campaign
from campaignctl.stack.yandex.naming import FUNCTION_ARCHIVE_NAME, HANDLER_MODULE
from campaignctl.stack.yandex.package import (
    DIRECT_UPLOAD_LIMIT,
    PackageTooLarge,
    build_bundle,
    runtime_requirements,
)
from tests.stack.conftest import campaign_path

CLI = [sys.executable, "-m", "campaignctl"]


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


def _names(bundle_path: Path) -> list[str]:
    return zipfile.ZipFile(bundle_path).namelist()


def test_only_the_campaign_files_the_functions_read_are_packed(tmp_path: Path) -> None:
    folder = tmp_path / "caps"
    shutil.copytree(campaign_path("bottle-caps").parent, folder)
    spec = folder / "campaign.yaml"
    generated = subprocess.run(
        [*CLI, "codes", "generate", str(spec), "--batch", "w1", "--count", "50"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert generated.returncode == 0, generated.stderr
    assert list((folder / "print" / "w1").glob("*.csv"))
    # Whatever else an agency leaves in the folder: outputs, personal data, notes.
    for name in (
        "reports/final/report.csv",
        "archive/caps.tar.gz",
        "draws/r1/entries.csv",
        "build/site/index.html",
        "winners.xlsx",
        ".env",
        "notes/brief.docx",
    ):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text("not for the cloud")
    (folder / "templates" / "texts").mkdir(parents=True)
    (folder / "templates" / "texts" / "override.txt").write_text("{{ campaign.name }}")
    bundle = build_bundle(load_campaign(spec), tmp_path / "out")
    campaign = sorted(
        n.removeprefix("campaign/") for n in _names(bundle.path) if n.startswith("campaign/")
    )
    assert campaign == [
        "assets/hero.png",
        "assets/logo.svg",
        "assets/prizes/baikal-trip.svg",
        "assets/prizes/bottle.svg",
        "assets/prizes/cert-5000.svg",
        "assets/prizes/cooler-bag.svg",
        "assets/prizes/phone-100.svg",
        "assets/prizes/scooter.svg",
        "assets/prizes/speaker.svg",
        "campaign.yaml",
        "consent.md",
        "templates/texts/override.txt",
    ]
    assert bundle.size < DIRECT_UPLOAD_LIMIT


def test_a_named_file_under_print_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "caps"
    shutil.copytree(campaign_path("bottle-caps").parent, folder)
    (folder / "print").mkdir()
    shutil.copy(folder / "assets" / "logo.svg", folder / "print" / "logo.svg")
    spec = folder / "campaign.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("assets/logo.svg", "print/logo.svg"))
    with pytest.raises(UserError, match=r"'print/logo\.svg', under print/"):
        build_bundle(load_campaign(spec), tmp_path / "out")


def test_a_package_over_the_direct_upload_limit_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "caps"
    shutil.copytree(campaign_path("bottle-caps").parent, folder)
    campaign = load_campaign(folder / "campaign.yaml")
    (folder / "assets" / "hero.png").write_bytes(os.urandom(DIRECT_UPLOAD_LIMIT))
    with pytest.raises(PackageTooLarge) as caught:
        build_bundle(campaign, tmp_path / "out")
    assert "campaign/assets/hero.png" in caught.value.message
    assert not (tmp_path / "out" / FUNCTION_ARCHIVE_NAME).exists()


def test_a_consent_published_at_a_url_is_no_file_to_pack(tmp_path: Path) -> None:
    folder = tmp_path / "caps"
    shutil.copytree(campaign_path("bottle-caps").parent, folder)
    spec = folder / "campaign.yaml"
    text = spec.read_text(encoding="utf-8")
    spec.write_text(
        text.replace("consent_document: consent.md", "consent_document: https://example.ru/pd"),
        encoding="utf-8",
    )
    assert "https://example.ru/pd" in spec.read_text(encoding="utf-8")
    names = _names(build_bundle(load_campaign(spec), tmp_path / "out").path)
    assert "campaign/campaign.yaml" in names and "campaign/consent.md" not in names
