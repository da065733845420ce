"""The newcomer's path in headless Chromium against `campaignctl up --detach` on loopback.

Generate a batch, start the stack, open the site, register one of the batch's
codes, read the outcome on the page, then find the registration in `status`.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import free_port
from tests.runtime.conftest import copy_example

CLI = [sys.executable, "-m", "campaignctl"]


def _cli(*args: str, cwd: Path) -> str:
    done = subprocess.run(
        [*CLI, *args], cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr + done.stdout
    return done.stdout


@pytest.fixture
def live(tmp_path: Path) -> Iterator[tuple[Path, str, list[str]]]:
    folder = tmp_path / "caps"
    copy_example("bottle-caps", folder)
    _cli("codes", "generate", "campaign.yaml", "--batch", "try-1", "--count", "20", cwd=folder)
    with (folder / "print" / "try-1" / "try-1-001.csv").open() as f:
        codes = [row["code"] for row in csv.DictReader(f)]
    port = free_port()
    _cli("up", "campaign.yaml", "--detach", "--port", str(port), "--clock", "start", cwd=folder)
    try:
        yield folder, f"http://127.0.0.1:{port}", codes
    finally:
        _cli("stop", "campaign.yaml", cwd=folder)


@pytest.mark.slow
def test_newcomer_registers_a_code_in_a_browser(
    live: tuple[Path, str, list[str]], browser: Any
) -> None:
    folder, base, codes = live
    page = browser.new_page()
    try:
        page.goto(f"{base}/register.html", wait_until="load")
        page.fill("#f-code", codes[0].lower().replace("-", " "))
        page.fill("#f-phone", "8 (900) 123-45-67")
        page.check("#f-consent")
        page.check("#f-age_confirmed")
        page.click("button[type=submit]")
        page.wait_for_selector(".form-status-ok")
        assert page.inner_text(".form-status").startswith("Код принят!")
        # The same code again: the server's refusal is shown.
        page.fill("#f-code", codes[0])
        page.fill("#f-phone", "+79001234567")
        page.check("#f-consent")
        page.check("#f-age_confirmed")
        page.click("button[type=submit]")
        page.wait_for_selector(".form-status-error")
        assert page.inner_text(".form-status") == "Этот код уже зарегистрирован."
    finally:
        page.close()
    report = json.loads(_cli("status", "campaign.yaml", "--json", cwd=folder))
    assert report["running"] is True
    assert report["registrations"]["total"] == 1
    assert report["registrations"]["by_channel"] == {"site": 1}
    assert report["codes_redeemed"] == {"try-1": 1}
