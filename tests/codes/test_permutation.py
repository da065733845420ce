from __future__ import annotations

import numpy as np
import pytest

from campaignctl.codes.permutation import KeyedPermutation

KEY = bytes(range(32))


@pytest.mark.parametrize(("radix", "length"), [(10, 4), (10, 5), (32, 4), (31, 3), (13, 5)])
def test_is_a_permutation_of_the_whole_space(radix: int, length: int) -> None:
    p = KeyedPermutation(KEY, radix, length)
    a, b = p.encrypt_range(0, p.size)
    values = a * np.uint64(p.low_size) + b
    assert np.unique(values).size == p.size
    assert int(values.max()) < p.size


def test_scalar_and_vector_agree_and_invert() -> None:
    p = KeyedPermutation(KEY, 32, 11)
    a, b = p.encrypt_range(5_000, 2_000)
    for i in range(0, 2_000, 97):
        assert p.encrypt(5_000 + i) == (int(a[i]), int(b[i]))
        assert p.decrypt(int(a[i]), int(b[i])) == 5_000 + i
    assert p.decrypt_many(a, b).tolist() == list(range(5_000, 7_000))


def test_largest_schema_space_works() -> None:
    p = KeyedPermutation(KEY, 64, 16)  # 2**96 strings
    assert p.size == 2**96
    high, low = p.encrypt(123)
    assert p.decrypt(high, low) == 123
    a, b = p.encrypt_range(0, 10)
    assert (int(a[3]), int(b[3])) == p.encrypt(3)


def test_key_changes_everything() -> None:
    one = KeyedPermutation(KEY, 32, 10).encrypt_range(0, 1000)
    two = KeyedPermutation(bytes(32), 32, 10).encrypt_range(0, 1000)
    same = (one[0] == two[0]) & (one[1] == two[1])
    assert same.sum() < 3


def test_consecutive_serials_look_unrelated() -> None:
    _high, b = KeyedPermutation(KEY, 32, 10).encrypt_range(0, 10_000)
    # every digit position of the low part is spread over the alphabet
    for shift in range(0, 25, 5):
        counts = np.bincount(
            ((b >> np.uint64(shift)) & np.uint64(31)).astype(np.int64), minlength=32
        )
        assert counts.min() > 200


@pytest.mark.parametrize("bad", [{"key": b"short"}, {"rounds": 6}, {"rounds": 9}])
def test_refuses_weak_settings(bad: dict[str, object]) -> None:
    args: dict[str, object] = {"key": KEY, "radix": 32, "length": 10} | bad
    with pytest.raises(ValueError):
        KeyedPermutation(**args)  # type: ignore[arg-type]
