"""Values derived from an object, remembered by the object's identity.

The registration hot path derives the same values from the same objects again
and again: a campaign's CRM mapping and sealer, a datetime's UTC twin and its
SQLite text. Hashing such objects (a campaign compares field by field, a Path is
built on every ``campaign.folder``) cost more than the work saved, so these
memos key on ``id()`` and check that the entry still holds that very object: an
id can be reused once its object is gone, an entry for a live object cannot be
mistaken.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class ByObject(Generic[K, V]):
    """``make(obj, *extra)`` per live object and ``extra``; an entry goes with its object.

    For long-lived objects that take weak references (a campaign).
    """

    def __init__(self) -> None:
        self._found: dict[tuple[Hashable, ...], tuple[weakref.ref[K], V]] = {}

    def get(self, obj: K, make: Callable[..., V], *extra: Hashable) -> V:
        key = (id(obj), *extra)
        found = self._found.get(key)
        if found is not None and found[0]() is obj:
            return found[1]
        value = make(obj, *extra)
        self._found[key] = (weakref.ref(obj, lambda _: self._found.pop(key, None)), value)
        return value

    def __contains__(self, key: tuple[Hashable, ...]) -> bool:
        """Whether ``(id(obj), *extra)`` has an entry (tests: nothing is left behind)."""
        return key in self._found


class Recent(Generic[K, V]):
    """``make(obj)`` for the last ``size`` objects seen (then all are forgotten at once).

    For short-lived objects without weak references (datetimes): the entry keeps
    its object alive, so its id cannot be reused while the entry is there.
    """

    def __init__(self, size: int = 64) -> None:
        self.size = size
        self._found: dict[int, tuple[K, V]] = {}

    def get(self, obj: K, make: Callable[[K], V]) -> V:
        found = self._found.get(id(obj))
        if found is not None and found[0] is obj:
            return found[1]
        if len(self._found) >= self.size:
            self._found.clear()
        value = make(obj)
        self._found[id(obj)] = (obj, value)
        return value
