from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from campaignctl.draws import VerificationFailed, run, verify
from campaignctl.draws.errors import EntriesInvalid
from campaignctl.draws.seed import commitment
from tests.draws.helpers import INFO, entries, rules, seed_of


@pytest.fixture
def published(tmp_path: Path) -> Path:
    pool = entries(120, persons=90)
    pool.write(tmp_path / "entries.csv")
    protocol = run(
        INFO,
        rules(1, 4, reserve=2),
        pool,
        seed_of(11),
        committed_at="2027-06-01T10:00:00+03:00",
        drawn_at="2027-06-17T12:00:00+03:00",
    )
    path = tmp_path / "protocol.json"
    protocol.write(path)
    return path


def _edit(path: Path, change: Callable[[dict[str, Any]], None]) -> None:
    raw = json.loads(path.read_text())
    change(raw)
    path.write_text(json.dumps(raw))


def test_an_untouched_protocol_verifies(published: Path) -> None:
    result = verify(published)
    assert len(result.checks) == 4
    assert result.entries_path == published.parent / "entries.csv"


def _other_seed(raw: dict[str, Any]) -> None:
    seed = seed_of(12)
    raw["seed"] = seed.hex()
    raw["commitment"]["sha256"] = commitment(seed)


def _swap_winner(raw: dict[str, Any]) -> None:
    raw["picks"][0]["entry_id"], raw["picks"][1]["entry_id"] = (
        raw["picks"][1]["entry_id"],
        raw["picks"][0]["entry_id"],
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r.update(seed=seed_of(12).hex()), "commitment"),
        (lambda r: r["commitment"].update(sha256="0" * 64), "commitment"),
        (_other_seed, "different result"),
        (_swap_winner, "different result from pick 1"),
        (lambda r: r["picks"].pop(), "different result"),
        (lambda r: r["rules"].update(max_wins_per_person=2), "different result"),
        (lambda r: r["rules"]["prizes"][1].update(quantity=5), "different result"),
        (lambda r: r["entries"].update(count=119), "in the file"),
        (lambda r: r["entries"].update(sha256="f" * 64), "hashes to"),
        (lambda r: r.update(seed="xyz"), "64 lowercase hex"),
    ],
)
def test_a_tampered_protocol_fails(
    published: Path, change: Callable[[dict[str, Any]], None], message: str
) -> None:
    _edit(published, change)
    with pytest.raises(VerificationFailed, match=message):
        verify(published)


def test_tampered_entries_fail(published: Path) -> None:
    entries_file = published.parent / "entries.csv"
    lines = entries_file.read_text().splitlines(keepends=True)
    lines[5] = lines[5].replace(",1\n", ",3\n").replace(",2\n", ",3\n")
    entries_file.write_text("".join(lines))
    with pytest.raises(VerificationFailed, match="hashes to"):
        verify(published)


def test_a_missing_entries_file_is_a_clear_error(published: Path) -> None:
    (published.parent / "entries.csv").unlink()
    with pytest.raises(EntriesInvalid, match="cannot read"):
        verify(published)


def test_entries_may_live_elsewhere(published: Path, tmp_path: Path) -> None:
    moved = tmp_path / "elsewhere.csv"
    (published.parent / "entries.csv").rename(moved)
    assert verify(published, moved).entries_path == moved
