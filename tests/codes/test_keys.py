from __future__ import annotations

from pathlib import Path

import pytest

from campaignctl.codes.errors import KeyInvalid, KeyMissing
from campaignctl.codes.keys import create_key, hash_key, key_path, load_key, permutation_key


def test_key_file_is_created_once_and_private(tmp_path: Path) -> None:
    key = create_key(tmp_path)
    path = key_path(tmp_path)
    assert len(key) == 32
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700
    assert create_key(tmp_path) == key  # never replaced
    assert load_key(tmp_path) == key


def test_subkeys_differ_from_the_key_and_each_other(tmp_path: Path) -> None:
    key = create_key(tmp_path)
    assert len({key, permutation_key(key), hash_key(key)}) == 3


def test_missing_and_broken_key_files(tmp_path: Path) -> None:
    with pytest.raises(KeyMissing, match="missing"):
        load_key(tmp_path)
    create_key(tmp_path)
    key_path(tmp_path).write_text("# campaignctl codes key v1\nnot-hex\n")
    with pytest.raises(KeyInvalid, match="32-byte"):
        load_key(tmp_path)
