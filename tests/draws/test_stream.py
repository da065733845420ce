from __future__ import annotations

from collections import Counter

import pytest

from campaignctl.draws.stream import DrawStream
from tests.draws.helpers import seed_of

HASH_A = "a" * 64
HASH_B = "b" * 64


def test_stream_is_a_function_of_seed_and_entries_hash() -> None:
    def first(seed: bytes, digest: str) -> list[int]:
        stream = DrawStream(seed, digest)
        return [stream.below(1000) for _ in range(20)]

    assert first(seed_of(1), HASH_A) == first(seed_of(1), HASH_A)
    assert first(seed_of(1), HASH_A) != first(seed_of(2), HASH_A)
    assert first(seed_of(1), HASH_A) != first(seed_of(1), HASH_B)


def test_below_is_uniform() -> None:
    stream = DrawStream(seed_of(3), HASH_A)
    counts = Counter(stream.below(7) for _ in range(14_000))
    expected = 2000
    chi2 = sum((counts[v] - expected) ** 2 / expected for v in range(7))
    assert set(counts) == set(range(7))
    assert chi2 < 22.46  # chi-squared, 6 degrees of freedom, p = 0.001


def test_below_rejects_an_empty_range() -> None:
    with pytest.raises(ValueError, match="positive"):
        DrawStream(seed_of(1), HASH_A).below(0)
