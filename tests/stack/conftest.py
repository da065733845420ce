"""The examples' Yandex stacks, each run once under Pulumi's mocks for the whole session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from moto.server import ThreadedMotoServer

from campaignctl.model import Campaign
from campaignctl.spec import load_campaign
from campaignctl.stack.yandex.examples import as_yandex
from campaignctl.stack.yandex.offline import OfflineStack, run_offline
from tests.conftest import EXAMPLES, free_port

MAIN = "receipt-draw"
"""The example that targets Yandex itself; the others run with the target switched."""
NAMES = [p.parent.name for p in EXAMPLES]


def example(name: str) -> Campaign:
    return as_yandex(load_campaign(next(p for p in EXAMPLES if p.parent.name == name)))


@pytest.fixture(scope="session")
def stacks() -> dict[str, OfflineStack]:
    return {name: run_offline(example(name)) for name in NAMES}


@pytest.fixture(params=NAMES)
def stack(request: pytest.FixtureRequest, stacks: dict[str, OfflineStack]) -> OfflineStack:
    return stacks[request.param]


def campaign_path(name: str) -> Path:
    return next(p for p in EXAMPLES if p.parent.name == name)


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    """moto's S3 server on 127.0.0.1 (real HTTP), one per test module."""
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()
