"""Fixtures for codes tests: a codes spec, a campaign folder, a ledger on a real SQLite file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from campaignctl.codes.ledger import CodeLedger
from campaignctl.model.codes import CodesSpec, PrintSettings

KEY = bytes(range(32))


def make_spec(**changes: object) -> CodesSpec:
    settings: dict[str, object] = {
        "count": 5_000_000,
        "length": 10,
        "group_size": 4,
        "print": PrintSettings(rows_per_file=40_000),
    }
    settings.update(changes)
    return CodesSpec(**settings)  # type: ignore[arg-type]


@pytest.fixture
def spec() -> CodesSpec:
    return make_spec()


@pytest.fixture
def ledger(tmp_path: Path, spec: CodesSpec) -> Iterator[CodeLedger]:
    folder = tmp_path / "campaign"
    folder.mkdir()
    ledger = CodeLedger.open(folder, spec)
    yield ledger
    ledger.close()
