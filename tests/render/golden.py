"""Golden files: rendered text compared with a committed copy a reviewer can read.

Regenerate after an intended change with

    UPDATE_GOLDENS=1 .venv/bin/pytest tests/render

and review the diff before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

GOLDENS = Path(__file__).parent / "goldens"


def check_golden(relative: str, actual: str) -> None:
    path = GOLDENS / relative
    if os.environ.get("UPDATE_GOLDENS") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    assert path.is_file(), f"no golden {path}: run UPDATE_GOLDENS=1 .venv/bin/pytest tests/render"
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, (
        f"{relative} differs from its golden; if intended: UPDATE_GOLDENS=1 .venv/bin/pytest tests/render"
    )
