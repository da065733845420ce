"""Code-space capacity and brute-force risk: the one place this arithmetic lives.

A keyed code is a keyed permutation of a serial number over the whole space of
``len(alphabet) ** length`` strings; only serials that were issued decode to a
valid code, so a random string is valid with probability ``count / space``.
The optional check character adds no entropy: it only tells a typo from a guess.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


def space_size(alphabet_size: int, length: int) -> int:
    """How many distinct payload strings exist (the check character excluded)."""
    size: int = alphabet_size**length
    return size


def guess_risk(space: int, count: int, attempts: int) -> float:
    """Probability that ``attempts`` random guesses hit at least one of ``count`` codes.

    ``1 - (1 - count/space) ** attempts``, computed with log1p/expm1 so that tiny
    ratios keep their precision; about ``attempts * count / space`` when small.
    """
    if count <= 0 or attempts <= 0:
        return 0.0
    if count >= space:
        return 1.0
    return -math.expm1(attempts * math.log1p(-count / space))


def max_count_for_risk(space: int, attempts: int, accepted_risk: float) -> int:
    """The largest code count whose guessing risk stays within ``accepted_risk``."""
    if attempts <= 0:
        return space
    if accepted_risk >= 1:
        return space
    # Invert risk = 1 - (1 - c/S)^A  =>  c = S * (1 - (1 - risk)^(1/A)).
    fraction = -math.expm1(math.log1p(-accepted_risk) / attempts)
    count = math.floor(space * fraction)
    while count > 0 and guess_risk(space, count, attempts) > accepted_risk:
        count -= 1
    return min(count, space)


def min_length_for(alphabet_size: int, count: int, attempts: int, accepted_risk: float) -> int:
    """The shortest payload length that holds ``count`` codes within the accepted risk."""
    length = 1
    while max_count_for_risk(space_size(alphabet_size, length), attempts, accepted_risk) < count:
        length += 1
    return length


@dataclass(frozen=True)
class Capacity:
    """The figures `validate`, `codes generate` and `codes info` show."""

    alphabet_size: int
    length: int
    space: int
    count: int
    attempts: int
    risk: float
    accepted_risk: float
    max_count: int

    @property
    def within_risk(self) -> bool:
        return self.risk <= self.accepted_risk and self.count <= self.space

    @classmethod
    def of(
        cls, alphabet_size: int, length: int, count: int, attempts: int, accepted_risk: float
    ) -> Capacity:
        space = space_size(alphabet_size, length)
        return cls(
            alphabet_size=alphabet_size,
            length=length,
            space=space,
            count=count,
            attempts=attempts,
            risk=guess_risk(space, count, attempts),
            accepted_risk=accepted_risk,
            max_count=max_count_for_risk(space, attempts, accepted_risk),
        )
