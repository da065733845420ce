"""The entries of a draw in their one canonical, publishable form.

An entry is a stable id, the pseudonymous id of the person it belongs to and a
weight (how many chances it gives, e.g. draw entries per code). No personal
data: the entry id is the registration id and the person id is a keyed hash of
the phone, so the list can be published for anyone to re-run the draw.

The canonical file is UTF-8 CSV with LF line ends, the header
``entry_id,person,weight`` and one line per entry sorted by entry id (byte
order). Its SHA-256 is the entries hash the draw depends on. A file that is not
exactly canonical is rejected rather than normalised: two different files must
never stand for the same entries.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from campaignctl.draws.errors import EntriesInvalid

HEADER = "entry_id,person,weight"
_ID = re.compile(r"[A-Za-z0-9_.:\-]{1,64}")
_WEIGHT = re.compile(r"[1-9][0-9]{0,8}")


@dataclass(frozen=True, order=True)
class Entry:
    id: str
    person: str
    weight: int = 1

    def __post_init__(self) -> None:
        if not _ID.fullmatch(self.id):
            raise EntriesInvalid(f"entry id {self.id!r} is not 1-64 of A-Z a-z 0-9 _ . : -")
        if not _ID.fullmatch(self.person):
            raise EntriesInvalid(f"person id {self.person!r} is not 1-64 of A-Z a-z 0-9 _ . : -")
        if not 1 <= self.weight < 10**9:
            raise EntriesInvalid(f"entry {self.id}: weight {self.weight} is not 1..999999999")


@dataclass(frozen=True)
class EntryList:
    """Entries sorted by id, each id once."""

    entries: tuple[Entry, ...]

    @classmethod
    def of(cls, entries: Iterable[Entry]) -> EntryList:
        ordered = tuple(sorted(entries, key=lambda e: e.id.encode()))
        for before, after in pairwise(ordered):
            if before.id == after.id:
                raise EntriesInvalid(f"entry id {after.id} appears twice")
        return cls(ordered)

    def __len__(self) -> int:
        return len(self.entries)

    @property
    def total_weight(self) -> int:
        return sum(e.weight for e in self.entries)

    @property
    def persons(self) -> int:
        return len({e.person for e in self.entries})

    def canonical(self) -> bytes:
        lines = [HEADER, *(f"{e.id},{e.person},{e.weight}" for e in self.entries)]
        return ("\n".join(lines) + "\n").encode("utf-8")

    def sha256(self) -> str:
        return hashlib.sha256(self.canonical()).hexdigest()

    def write(self, path: Path) -> str:
        """Write the canonical file; returns its SHA-256 (hex)."""
        data = self.canonical()
        path.write_bytes(data)
        return hashlib.sha256(data).hexdigest()


def parse_entries(data: bytes, *, source: Path | None = None) -> EntryList:
    """The entries of a canonical file; :class:`EntriesInvalid` naming the line otherwise."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise EntriesInvalid("the entries file is not UTF-8", path=source) from None
    if not text.endswith("\n") or "\r" in text:
        raise EntriesInvalid("the entries file must end lines with LF only", path=source)
    lines = text[:-1].split("\n")
    if lines[0] != HEADER:
        raise EntriesInvalid(f"line 1 must be the header {HEADER!r}", path=source)
    entries: list[Entry] = []
    for number, line in enumerate(lines[1:], 2):
        fields = line.split(",")
        if len(fields) != 3 or not _WEIGHT.fullmatch(fields[2]):
            raise EntriesInvalid(
                f"line {number}: expected 'entry_id,person,weight' with a positive integer weight",
                path=source,
            )
        try:
            entries.append(Entry(fields[0], fields[1], int(fields[2])))
        except EntriesInvalid as exc:
            raise EntriesInvalid(f"line {number}: {exc.message}", path=source) from None
        if len(entries) > 1 and entries[-2].id.encode() >= entries[-1].id.encode():
            raise EntriesInvalid(
                f"line {number}: entries must be sorted by id, each id once "
                f"({entries[-2].id!r} then {entries[-1].id!r})",
                path=source,
            )
    return EntryList(tuple(entries))


def read_entries(path: Path) -> tuple[EntryList, str]:
    """The entries of a published file and the file's SHA-256 (hex)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise EntriesInvalid(f"cannot read the entries file: {exc.strerror}", path=path) from None
    return parse_entries(data, source=path), hashlib.sha256(data).hexdigest()


def person_id(key: bytes, phone: str) -> str:
    """A keyed pseudonym of a phone: the same person gets the same id, nobody can reverse it.

    HMAC-SHA256 under a key only the organizer holds, so the published list
    cannot be matched against a list of phone numbers by hashing them.
    """
    digest = hmac.new(key, b"campaignctl/draw-person\x00" + phone.encode(), hashlib.sha256)
    return "p" + digest.hexdigest()[:20]
