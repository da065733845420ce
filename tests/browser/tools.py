"""Where the browser-test tools live, and what to do when one is missing.

Locally a missing tool skips the test with the command that installs it; in CI
(``CI`` set, as ``.ci/run`` runs) it fails, because CI must run every test.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
NODE_MODULES = HERE / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM = Path(os.environ.get("CAMPAIGNCTL_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = HERE.parent.parent / "test-artifacts"


def missing(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must run every test)")
    pytest.skip(reason)


def require_chromium() -> Path:
    if not CHROMIUM.is_file():
        missing(f"no Chromium at {CHROMIUM}: apt-get install chromium (or run .ci/run)")
    return CHROMIUM


def require_npm_file(path: Path) -> Path:
    if not path.is_file():
        missing(
            f"{path.relative_to(HERE)} missing: run `npm ci --prefix tests/browser` (make pytest does)"
        )
    return path


def require_java() -> str:
    java = shutil.which("java")
    if java is None:
        missing("no java on PATH: apt-get install default-jre-headless (or run .ci/run)")
        raise AssertionError  # unreachable: missing() raises
    return java
