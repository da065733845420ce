"""An installed wheel carries the schema and templates and finds them."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from hatchling.builders.wheel import WheelBuilder

from tests.conftest import ROOT


def test_wheel_contains_data_and_validates_from_it(tmp_path: Path) -> None:
    wheel = Path(next(iter(WheelBuilder(str(ROOT)).build(directory=str(tmp_path / "dist")))))
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        archive.extractall(tmp_path / "site")
    assert "campaignctl/_data/schemas/campaign.schema.json" in names
    assert any(n.startswith("campaignctl/_data/templates/promo_site/") for n in names)
    assert any(n.startswith("campaignctl/_data/templates/rules_doc/") for n in names)

    # Run from the unpacked wheel, away from the checkout: it must use its own data.
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site")}
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "from campaignctl.resources import schema_path; print(schema_path())",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert probe.stdout.strip().startswith(str(tmp_path / "site" / "campaignctl" / "_data"))
    base = ROOT / "tests" / "spec" / "fixtures" / "base.yaml"
    done = subprocess.run(
        [sys.executable, "-m", "campaignctl", "validate", "-q", str(base)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
