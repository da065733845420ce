"""Shared fixtures: the repository root and a CLI runner."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from campaignctl.runtime import ports
from tests.browser import tools

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*/campaign.yaml"))

_handed_out: set[int] = set()


def _ephemeral_low() -> int:
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def free_port() -> int:
    """A loopback port for a server a test starts later, that nothing else will take meanwhile.

    A port picked by binding to 0 comes from the kernel's ephemeral range, which
    is where every outgoing connection on the machine takes its local port: in
    the moment between the pick and the server's bind, or after a test killed
    the server, another process's connection could hold it (a failed bind, or an
    ``Address already in use`` that the code under test did not cause). Ports
    below that range are never taken implicitly; each is handed out once per run.
    """
    low = _ephemeral_low()
    candidates = list(range(max(1024, low - 12000), low))
    random.shuffle(candidates)
    for port in candidates:
        if port not in _handed_out and ports.bindable("127.0.0.1", port):
            _handed_out.add(port)
            return port
    raise RuntimeError("no free port below the ephemeral range")


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
