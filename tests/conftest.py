"""Shared fixtures: the repository root and a CLI runner."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.browser import tools

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*/campaign.yaml"))


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """A headless Chromium (Debian's) shared by the tests of one module.

    Playwright's sync API keeps an event loop running in this thread while it is
    open: two at once fail, and so does any later ``asyncio.run`` in the same
    thread. Module scope starts one per module and stops it before the next.
    """
    executable = tools.require_chromium()
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(executable), args=tools.CHROMIUM_ARGS
        )
        yield launched
        launched.close()
