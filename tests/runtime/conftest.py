"""A copy of an example campaign in a temporary folder, a batch of real codes, a runtime context."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from campaignctl.codes.ledger import CodeLedger
from campaignctl.model.campaign import Campaign
from campaignctl.runtime.app import build_context, create_app, default_settings
from campaignctl.runtime.context import RuntimeContext, offset_clock
from campaignctl.spec import load_campaign
from tests.conftest import ROOT

EXAMPLES = ROOT / "examples"


def copy_example(name: str, dest: Path) -> Campaign:
    shutil.copytree(
        EXAMPLES / name, dest, ignore=shutil.ignore_patterns(".campaignctl", "build", "print")
    )
    return load_campaign(dest / "campaign.yaml")


def clock_at(campaign: Campaign, day_offset: int = 3, hour: int = 12) -> Callable[[], datetime]:
    """A clock running from noon of a day inside the registration period (campaign zone)."""
    start = campaign.period.registration.start
    target = datetime(
        start.year, start.month, start.day, hour, tzinfo=ZoneInfo(campaign.period.timezone)
    )
    target += timedelta(days=day_offset)
    return offset_clock((target - datetime.now(UTC)).total_seconds())


def issue_codes(ledger: CodeLedger, name: str, count: int) -> list[str]:
    """A generated batch of ``count`` codes (no print files: the codec computes them)."""
    ledger.key_ring(create=True)
    batch = ledger.store.allocate(name, count, "keyed", ledger.key_version)
    assert batch is not None
    ledger.store.set_state(batch.id, "generated")
    ledger.refresh()
    codec = ledger.codec
    return [codec.encode(s) for s in range(batch.first_serial, batch.end_serial)]


@pytest.fixture
def caps(tmp_path: Path) -> Campaign:
    return copy_example("bottle-caps", tmp_path / "caps")


@pytest.fixture
def make_context() -> Iterator[Callable[..., RuntimeContext]]:
    made: list[RuntimeContext] = []

    def _make(campaign: Campaign, url: str | None = None, **settings: Any) -> RuntimeContext:
        base = default_settings(campaign)
        ctx = build_context(
            campaign, database_url=url, settings=replace(base, **settings), clock=clock_at(campaign)
        )
        made.append(ctx)
        return ctx

    yield _make
    for ctx in made:
        ctx.engine.dispose()


@pytest.fixture
def caps_ctx(caps: Campaign, make_context: Callable[..., RuntimeContext]) -> RuntimeContext:
    return make_context(caps)


@pytest.fixture
def client(caps: Campaign, caps_ctx: RuntimeContext) -> Iterator[TestClient]:
    with TestClient(create_app(caps, context=caps_ctx)) as test_client:
        yield test_client
