"""The examples, loaded once, and their rules/POS/CRM/texts rendered once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from campaignctl.crm.document import write_mapping
from campaignctl.model import Campaign
from campaignctl.render.pos import render_pos
from campaignctl.render.rules import render_rules
from campaignctl.render.texts import render_texts
from campaignctl.spec import load_campaign
from tests.conftest import EXAMPLES

IDS = [p.parent.name for p in EXAMPLES]


@pytest.fixture(scope="session", params=EXAMPLES, ids=IDS)
def example(request: pytest.FixtureRequest) -> Campaign:
    path: Path = request.param
    return load_campaign(path)


@pytest.fixture(scope="session")
def built(example: Campaign, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example's rules, POS, CRM and texts parts, laid out as in the build folder."""
    out = tmp_path_factory.mktemp(example.folder.name) / "build"
    render_rules(example, out / "rules")
    render_pos(example, out / "pos")
    write_mapping(example, out / "crm")
    render_texts(example, out / "texts")
    return out
