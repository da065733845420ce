"""Weighted sampling without replacement, with a per-person limit.

Each pick chooses an entry with probability weight / (sum of the weights still
in play), then takes it out of play; a person who reached the limit has all
their entries taken out. A Fenwick tree over the weights makes a pick and a
removal O(log n), so a million entries draw in seconds.
"""

from __future__ import annotations

from collections.abc import Sequence

from campaignctl.draws.stream import DrawStream


class WeightTree:
    """Prefix sums over non-negative integer weights (a Fenwick tree)."""

    def __init__(self, weights: Sequence[int]) -> None:
        self._size = len(weights)
        tree = [0, *weights]
        for i in range(1, self._size + 1):
            parent = i + (i & -i)
            if parent <= self._size:
                tree[parent] += tree[i]
        self._tree = tree
        self._weights = list(weights)
        self.total = sum(weights)
        self._top = 1 << max(self._size.bit_length() - 1, 0) if self._size else 0

    def weight(self, index: int) -> int:
        return self._weights[index]

    def remove(self, index: int) -> None:
        """Set the weight of ``index`` to zero."""
        delta = -self._weights[index]
        if delta == 0:
            return
        self._weights[index] = 0
        self.total += delta
        i = index + 1
        while i <= self._size:
            self._tree[i] += delta
            i += i & -i

    def find(self, target: int) -> int:
        """The index whose cumulative weight range holds ``target`` (0 <= target < total)."""
        position = 0
        step = self._top
        remaining = target
        while step:
            nxt = position + step
            if nxt <= self._size and self._tree[nxt] <= remaining:
                position = nxt
                remaining -= self._tree[nxt]
            step >>= 1
        return position


class Sampler:
    """Picks entries one after another from a stream, honouring the per-person limit."""

    def __init__(
        self,
        weights: Sequence[int],
        persons: Sequence[str],
        max_per_person: int,
        stream: DrawStream,
    ) -> None:
        self._tree = WeightTree(weights)
        self._persons = persons
        self._max = max_per_person
        self._stream = stream
        self._wins: dict[str, int] = {}
        self._by_person: dict[str, list[int]] = {}
        for index, person in enumerate(persons):
            self._by_person.setdefault(person, []).append(index)

    @property
    def exhausted(self) -> bool:
        return self._tree.total == 0

    def pick(self) -> int | None:
        """The index of the next entry drawn, or None when nothing is left in play."""
        if self._tree.total == 0:
            return None
        index = self._tree.find(self._stream.below(self._tree.total))
        self._tree.remove(index)
        person = self._persons[index]
        self._wins[person] = self._wins.get(person, 0) + 1
        if self._wins[person] >= self._max:
            for other in self._by_person[person]:
                self._tree.remove(other)
        return index
