"""What validation needs from the database, held in memory: batches and voided ranges.

Loading it is one query per table; afterwards checking a serial is a binary search,
so rejecting a guess never touches the database.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from campaignctl.store import BatchRow, VoidRow

Reason = Literal["malformed", "typo", "not_a_code", "voided", "redeemed"]

REASON_TEXT: dict[Reason, str] = {
    "malformed": "not a code: wrong length or characters that codes do not use",
    "typo": "typo: the check character does not match, a character is probably mistyped",
    "not_a_code": "not a code of this campaign",
    "voided": "the code belongs to a voided batch or a voided (misprinted) range",
    "redeemed": "the code has already been redeemed",
}


@dataclass(frozen=True)
class Verdict:
    """The answer to "is this a code?": a serial and its batch, or the reason it is not."""

    code: str
    """The input as normalised (what the participant meant)."""
    reason: Reason | None
    serial: int | None = None
    batch: str | None = None
    state: str | None = None

    @property
    def ok(self) -> bool:
        return self.reason is None

    def explain(self) -> str:
        if self.reason is None:
            return f"valid: batch {self.batch} ({self.state}), serial {self.serial}"
        return REASON_TEXT[self.reason]


def merge_ranges(ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Union of inclusive ranges, sorted and coalesced (adjacent ranges joined)."""
    merged: list[tuple[int, int]] = []
    for first, last in sorted(ranges):
        if merged and first <= merged[-1][1] + 1:
            if last > merged[-1][1]:
                merged[-1] = (merged[-1][0], last)
        else:
            merged.append((first, last))
    return merged


class CodeBook:
    """Issued batches and their voided ranges, searchable by serial."""

    def __init__(self, batches: Iterable[BatchRow], voids: Iterable[VoidRow]) -> None:
        self.batches = sorted(batches, key=lambda b: b.first_serial)
        self._starts = [b.first_serial for b in self.batches]
        by_batch: dict[int, list[tuple[int, int]]] = {}
        for v in voids:
            by_batch.setdefault(v.batch_id, []).append((v.first_serial, v.last_serial))
        self._voids = {bid: merge_ranges(r) for bid, r in by_batch.items()}
        self._void_starts = {bid: [f for f, _ in r] for bid, r in self._voids.items()}
        self.key_versions = sorted({b.key_version for b in self.batches}, reverse=True)
        """Key versions that have batches, newest first."""

    @property
    def allocated(self) -> int:
        """Serials given out so far (batches still generating included)."""
        return max((b.end_serial for b in self.batches), default=0)

    def find(self, serial: int) -> BatchRow | None:
        """The batch holding ``serial``, if it finished generating."""
        i = bisect.bisect_right(self._starts, serial) - 1
        if i < 0:
            return None
        batch = self.batches[i]
        if not batch.holds(serial) or batch.state == "generating":
            return None
        return batch

    def is_voided(self, batch: BatchRow, serial: int) -> bool:
        if batch.state == "voided":
            return True
        ranges = self._voids.get(batch.id)
        if not ranges:
            return False
        i = bisect.bisect_right(self._void_starts[batch.id], serial) - 1
        return i >= 0 and ranges[i][1] >= serial

    def voided_ranges(self, batch: BatchRow) -> list[tuple[int, int]]:
        if batch.state == "voided":
            return [(batch.first_serial, batch.end_serial - 1)]
        return list(self._voids.get(batch.id, []))

    def voided_count(self, batch: BatchRow) -> int:
        return sum(last - first + 1 for first, last in self.voided_ranges(batch))

    def judge(self, code: str, serial: int, key_version: int) -> Verdict:
        """The verdict for a string that decoded to ``serial`` under ``key_version``.

        Redemptions are not consulted.
        """
        batch = self.find(serial)
        if batch is None or batch.key_version != key_version:
            return Verdict(code, "not_a_code")
        if self.is_voided(batch, serial):
            return Verdict(code, "voided", serial, batch.name, batch.state)
        return Verdict(code, None, serial, batch.name, batch.state)
