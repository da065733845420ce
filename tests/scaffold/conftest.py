"""Past campaigns to clone, each dressed with the state a real one leaves behind."""

from __future__ import annotations

import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES

FIXTURE = Path(__file__).parent / "fixtures" / "past-campaign"
SOURCES = [FIXTURE, *(p.parent for p in EXAMPLES)]


@dataclass(frozen=True)
class Secrets:
    """What a past campaign's folder holds that a clone must never take."""

    paths: tuple[str, ...]
    blobs: tuple[bytes, ...]


def dress(folder: Path) -> Secrets:
    """Add a state folder with a key and a database, print files, exports, a symlink."""
    key = os.urandom(32)
    state = folder / ".campaignctl"
    state.mkdir()
    (state / "codes.key").write_bytes(key)
    (state / "secrets.env").write_text("AMOCRM_TOKEN=tok-3f9a8b7c6d5e\n")
    with sqlite3.connect(state / "campaign.db") as db:
        db.execute("create table participants (phone text)")
        db.execute("insert into participants values ('+79161234567')")
    print_dir = folder / "print"
    print_dir.mkdir()
    (print_dir / "batch-001.csv").write_text("serial,code\n1,Q9WX-4TRE-PL2M\n")
    (folder / "build").mkdir()
    (folder / "build" / "site.html").write_text("<html>built</html>")
    (folder / "exports").mkdir()
    (folder / "exports" / "winners.xlsx").write_bytes(b"PK winners +79161234567")
    (folder / "codes-imported.csv").write_text("code\nAAAA-BBBB\n")
    (folder / "secrets").mkdir()
    (folder / "secrets" / "webhook.txt").write_text("whsec_5b4a3c2d1e")
    (folder / "assets").mkdir(exist_ok=True)
    (folder / "assets" / "leaked-codes.csv").write_text("code\nZZZZ-YYYY\n")
    (folder / "assets" / "key-link.svg").symlink_to(state / "codes.key")
    (folder / "campaign.db").write_bytes(b"SQLite format 3\x00 fake")
    paths = (
        ".campaignctl",
        "print",
        "build",
        "exports",
        "codes-imported.csv",
        "secrets",
        "assets/leaked-codes.csv",
        "assets/key-link.svg",
        "campaign.db",
    )
    blobs = (
        key,
        b"tok-3f9a8b7c6d5e",
        b"+79161234567",
        b"Q9WX-4TRE-PL2M",
        b"whsec_5b4a3c2d1e",
        b"ZZZZ-YYYY",
    )
    return Secrets(paths, blobs)


@pytest.fixture(params=SOURCES, ids=lambda p: p.name)
def past(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, Secrets]:
    """A copy of a past campaign (the fixture or an example) with its state around it."""
    source: Path = request.param
    folder = tmp_path / "campaigns" / source.name
    shutil.copytree(source, folder)
    return folder, dress(folder)
