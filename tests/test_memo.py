"""Values remembered by object identity (campaignctl.memo)."""

from __future__ import annotations

import gc
from datetime import UTC, datetime

from campaignctl.memo import ByObject, Recent


class _Thing:
    def __init__(self, name: str) -> None:
        self.name = name

    def __eq__(self, other: object) -> bool:  # equal things are still two objects
        return isinstance(other, _Thing) and other.name == self.name

    __hash__ = None  # type: ignore[assignment]


def test_by_object_makes_once_per_object_and_extra_and_forgets_with_the_object() -> None:
    made: list[tuple[str, str]] = []

    def make(thing: _Thing, extra: str) -> str:
        made.append((thing.name, extra))
        return f"{thing.name}/{extra}"

    memo: ByObject[_Thing, str] = ByObject()
    a, twin = _Thing("a"), _Thing("a")
    assert memo.get(a, make, "x") == memo.get(a, make, "x") == "a/x"
    assert memo.get(a, make, "y") == "a/y"
    assert memo.get(twin, make, "x") == "a/x"
    assert made == [("a", "x"), ("a", "y"), ("a", "x")]  # the twin is another object
    key = (id(a), "x")
    assert key in memo
    del a
    gc.collect()
    assert key not in memo


def test_recent_follows_the_object_and_forgets_past_its_size() -> None:
    calls: list[datetime] = []

    def make(moment: datetime) -> str:
        calls.append(moment)
        return moment.isoformat()

    memo: Recent[datetime, str] = Recent(size=2)
    first = datetime(2027, 6, 10, tzinfo=UTC)
    equal = datetime(2027, 6, 10, tzinfo=UTC)
    memo.get(first, make)
    memo.get(first, make)
    memo.get(equal, make)  # equal, not the same object: made again
    assert calls == [first, equal]
    memo.get(datetime(2027, 6, 11, tzinfo=UTC), make)  # a third: the memo starts over
    memo.get(first, make)
    assert len(calls) == 4
