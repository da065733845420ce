"""A real headless Chromium (Debian's) and the example sites rendered once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser import tools
from tests.render.site.examples import EXAMPLES, render_example


@pytest.fixture(scope="session")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("sites")
    for example in EXAMPLES:
        render_example(example, root / example)
    return {example: root / example for example in EXAMPLES}


@pytest.fixture(scope="session")
def artifacts() -> Path:
    path = tools.ARTIFACTS / "site"
    path.mkdir(parents=True, exist_ok=True)
    return path
