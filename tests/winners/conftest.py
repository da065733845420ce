from __future__ import annotations

from pathlib import Path

import pytest

from tests.draws.seeding import Seeder, drawn_bottle_caps


@pytest.fixture
def drawn(tmp_path: Path) -> Seeder:
    return drawn_bottle_caps(tmp_path)
