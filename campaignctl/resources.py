"""Locate the data files shipped with campaignctl (schema, templates).

An installed wheel carries them in ``campaignctl/_data``; a source checkout (or
an editable install) has them at the top of the repository.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    """The folder ``name`` ("schemas" or "templates") wherever this install keeps it."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"campaignctl is installed without its {name!r} folder")


def schema_path() -> Path:
    return data_dir("schemas") / "campaign.schema.json"
