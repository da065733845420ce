"""Registration ids are UUIDv7: valid, unique, ordered by time."""

from __future__ import annotations

import time
import uuid

from campaignctl.runtime.ids import new_id


def test_ids_are_version_7_unique_and_time_ordered() -> None:
    first = [new_id() for _ in range(2_000)]
    time.sleep(0.002)
    later = new_id()
    parsed = [uuid.UUID(i) for i in first]
    assert all(u.version == 7 and u.variant == uuid.RFC_4122 for u in parsed)
    assert len(set(first)) == len(first)
    assert all(str(u) == i for u, i in zip(parsed, first, strict=True))
    # The first 48 bits are the time in ms: a later id sorts after every earlier one.
    assert all(later > i for i in first)
    ms = uuid.UUID(later).int >> 80
    assert abs(ms - time.time_ns() // 1_000_000) < 5_000
