from __future__ import annotations

from pathlib import Path

import pytest

from campaignctl.codes import batches
from campaignctl.codes.errors import KeyInvalid, KeyMissing
from campaignctl.codes.keys import (
    create_keys,
    hash_key,
    key_path,
    load_keys,
    permutation_key,
    rotate_keys,
)
from campaignctl.codes.ledger import CodeLedger
from tests.codes.conftest import make_spec


def test_key_file_is_created_once_and_private(tmp_path: Path) -> None:
    ring = create_keys(tmp_path)
    path = key_path(tmp_path)
    assert list(ring) == [1] and len(ring[1]) == 32
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700
    assert create_keys(tmp_path) == ring  # never replaced
    assert load_keys(tmp_path) == ring


def test_rotation_adds_a_version_and_keeps_the_old_ones(tmp_path: Path) -> None:
    ring = create_keys(tmp_path)
    assert rotate_keys(tmp_path) == 2
    after = load_keys(tmp_path)
    assert after[1] == ring[1] and len(after[2]) == 32 and after[2] != ring[1]
    assert key_path(tmp_path).stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in key_path(tmp_path).parent.iterdir()) == [
        ".gitignore",
        "codes.key",
    ]


def test_subkeys_differ_from_the_key_and_each_other(tmp_path: Path) -> None:
    key = create_keys(tmp_path)[1]
    assert len({key, permutation_key(key), hash_key(key)}) == 3


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("# header\nnot-hex\n", "line 2"),
        ("# only a comment\n", "32-byte"),
        (f"v1 {'ab' * 32}\nv1 {'cd' * 32}\n", "appears twice"),
        (f"v1 {'ab' * 31}\n", "line 1"),
    ],
)
def test_broken_key_files(tmp_path: Path, text: str, message: str) -> None:
    create_keys(tmp_path)
    key_path(tmp_path).write_text(text)
    with pytest.raises(KeyInvalid, match=message):
        load_keys(tmp_path)


def test_missing_key_file(tmp_path: Path) -> None:
    with pytest.raises(KeyMissing, match="missing"):
        load_keys(tmp_path)


def test_batches_keep_their_key_after_rotation(ledger: CodeLedger, tmp_path: Path) -> None:
    old = batches.generate(ledger, "run-1", 100, tmp_path)
    assert old.manifest.key_version == 1
    old_code = ledger.codec_for(1).encode(42)
    assert ledger.rotate_key() == 2
    new = batches.generate(ledger, "run-2", 100, tmp_path)
    assert (new.batch.key_version, new.manifest.key_version) == (2, 2)
    new_code = ledger.codec_for(2).encode(142)
    assert ledger.validate(old_code).batch == "run-1"
    assert ledger.validate(new_code).batch == "run-2"
    # serial 142 under the old key, or 42 under the new one, was never printed
    assert ledger.validate(ledger.codec_for(1).encode(142)).reason == "not_a_code"
    assert ledger.validate(ledger.codec_for(2).encode(42)).reason == "not_a_code"
    misprints = tmp_path / "cut.txt"
    misprints.write_text(old_code + "\n")
    assert batches.void(ledger, "run-1", misprints=misprints) == 1
    assert ledger.validate(old_code).reason == "voided"


def test_imports_keep_their_key_after_rotation(tmp_path: Path) -> None:
    ledger = CodeLedger.open(tmp_path, make_spec(scheme="imported"))
    (tmp_path / "a.txt").write_text("AAAA1111\n")
    batches.import_codes(ledger, "a", tmp_path / "a.txt")
    ledger.rotate_key()
    (tmp_path / "b.txt").write_text("BBBB2222\nAAAA1111\n")
    with pytest.raises(Exception, match="already imported"):
        batches.import_codes(ledger, "b", tmp_path / "b.txt")
    (tmp_path / "b.txt").write_text("BBBB2222\n")
    batches.import_codes(ledger, "b", tmp_path / "b.txt")
    assert ledger.validate("AAAA1111").batch == "a"
    assert ledger.validate("BBBB2222").batch == "b"
