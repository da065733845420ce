"""The budget tests' campaign, and variants of it written as real campaign files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from campaignctl.model import Campaign
from campaignctl.spec import load_campaign

SMALL = Path(__file__).parent / "fixtures" / "small.yaml"

Edit = Callable[[dict[str, Any]], None]


@pytest.fixture
def small() -> Campaign:
    return load_campaign(SMALL)


@pytest.fixture
def variant(tmp_path: Path) -> Callable[[Edit], Path]:
    """Write small.yaml changed by ``edit`` next to the test and return its path."""

    def make(edit: Edit) -> Path:
        data = yaml.safe_load(SMALL.read_text(encoding="utf-8"))
        edit(data)
        path = tmp_path / "campaign.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        return path

    return make
