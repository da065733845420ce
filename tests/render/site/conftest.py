"""The example sites rendered once per session, and a throwaway campaign copy."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.render.site.examples import EXAMPLES, render_example


@pytest.fixture(scope="session")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("rendered")
    return {example: _render(example, root / example) for example in EXAMPLES}


def _render(example: str, out: Path) -> Path:
    render_example(example, out)
    return out


@pytest.fixture
def campaign_copy(tmp_path: Path) -> Path:
    """A writable copy of the bottle-caps example; returns its campaign.yaml."""
    folder = tmp_path / "bottle-caps"
    shutil.copytree(ROOT / "examples" / "bottle-caps", folder)
    return folder / "campaign.yaml"
