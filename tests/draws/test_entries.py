from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from campaignctl.draws import Entry, EntryList, parse_entries, person_id, read_entries
from campaignctl.draws.errors import EntriesInvalid


def test_canonical_file_is_sorted_by_id_and_round_trips(tmp_path: Path) -> None:
    listed = EntryList.of([Entry("b", "p1", 2), Entry("a", "p2", 1), Entry("c", "p1", 3)])
    assert [e.id for e in listed.entries] == ["a", "b", "c"]
    path = tmp_path / "entries.csv"
    digest = listed.write(path)
    assert path.read_text() == "entry_id,person,weight\na,p2,1\nb,p1,2\nc,p1,3\n"
    assert digest == hashlib.sha256(path.read_bytes()).hexdigest() == listed.sha256()
    again, again_digest = read_entries(path)
    assert again == listed and again_digest == digest
    assert (len(listed), listed.total_weight, listed.persons) == (3, 6, 2)


def test_same_entries_in_any_order_hash_the_same() -> None:
    items = [Entry(f"r{i}", f"p{i % 4}", 1 + i % 2) for i in range(50)]
    assert EntryList.of(items).sha256() == EntryList.of(reversed(items)).sha256()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (b"entry,person,weight\na,p,1\n", "header"),
        (b"entry_id,person,weight\nb,p,1\na,p,1\n", "sorted"),
        (b"entry_id,person,weight\na,p,1\na,p,2\n", "sorted"),
        (b"entry_id,person,weight\na,p,0\n", "positive integer"),
        (b"entry_id,person,weight\na,p,01\n", "positive integer"),
        (b"entry_id,person,weight\na,p\n", "entry_id,person,weight"),
        (b"entry_id,person,weight\na b,p,1\n", "entry id"),
        (b"entry_id,person,weight\r\na,p,1\r\n", "LF"),
        (b"entry_id,person,weight\na,p,1", "LF"),
        (b"entry_id,person,weight\n\xff,p,1\n", "UTF-8"),
    ],
)
def test_non_canonical_files_are_rejected_with_the_reason(text: bytes, message: str) -> None:
    with pytest.raises(EntriesInvalid, match=message):
        parse_entries(text)


def test_duplicate_ids_are_refused() -> None:
    with pytest.raises(EntriesInvalid, match="twice"):
        EntryList.of([Entry("a", "p", 1), Entry("a", "q", 1)])


def test_person_id_is_keyed_and_stable() -> None:
    key, other = b"k" * 32, b"o" * 32
    phone = "+79161234567"
    assert person_id(key, phone) == person_id(key, phone)
    assert person_id(key, phone) != person_id(other, phone)
    assert person_id(key, phone) != person_id(key, "+79161234568")
    assert phone[2:] not in person_id(key, phone)
    Entry("r1", person_id(key, phone))  # fits the id alphabet
