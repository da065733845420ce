from __future__ import annotations

from collections import Counter
from itertools import permutations
from pathlib import Path

import pytest

from campaignctl.draws import Entry, EntryList, NoEligibleEntries, draw, load_protocol, run
from campaignctl.draws.errors import ProtocolInvalid
from tests.draws.helpers import INFO, entries, rules, seed_of


def test_the_draw_is_deterministic_and_ordered_by_prize_line_then_reserves() -> None:
    picks = draw(rules(1, 3, reserve=2), entries(40), seed_of(1))
    assert picks == draw(rules(1, 3, reserve=2), entries(40), seed_of(1))
    assert [(p.prize, p.kind, p.rank) for p in picks] == [
        ("prize-0", "winner", 1),
        ("prize-1", "winner", 1),
        ("prize-1", "winner", 2),
        ("prize-1", "winner", 3),
        ("prize-0", "reserve", 1),
        ("prize-0", "reserve", 2),
        ("prize-1", "reserve", 1),
        ("prize-1", "reserve", 2),
    ]
    assert len({p.entry_id for p in picks}) == len(picks)


@pytest.mark.parametrize("per_person", [1, 2])
def test_nobody_wins_more_than_the_per_person_limit(per_person: int) -> None:
    pool = entries(60, persons=8)  # 7-8 entries each
    for n in range(30):
        picks = draw(rules(3, 4, reserve=1, per_person=per_person), pool, seed_of(n))
        assert max(Counter(p.person for p in picks).values()) <= per_person


def test_a_short_pool_awards_what_it_can() -> None:
    picks = draw(rules(5, reserve=3), entries(6, persons=3), seed_of(4))
    assert [p.kind for p in picks] == ["winner", "winner", "winner"]


def test_no_entries_is_an_error() -> None:
    with pytest.raises(NoEligibleEntries):
        draw(rules(1), EntryList.of([]), seed_of(1))


def test_each_entry_wins_in_proportion_to_its_weight() -> None:
    """Over many seeds the single prize goes to entry i with probability w_i / W."""
    pool = EntryList.of(Entry(f"e{i:02d}", f"p{i}", 1 + i % 4) for i in range(12))
    trials = 12_000
    wins = Counter(draw(rules(1), pool, seed_of(n))[0].entry_id for n in range(trials))
    total = pool.total_weight
    chi2 = sum(
        (wins[e.id] - trials * e.weight / total) ** 2 / (trials * e.weight / total)
        for e in pool.entries
    )
    assert chi2 < 31.26  # chi-squared, 11 degrees of freedom, p = 0.001


def test_without_replacement_order_follows_the_weights() -> None:
    """Two picks from four entries: each ordered pair has probability w_i/W * w_j/(W - w_i)."""
    weights = {"a": 1, "b": 2, "c": 3, "d": 4}
    pool = EntryList.of(Entry(k, f"p-{k}", w) for k, w in weights.items())
    total = sum(weights.values())
    trials = 12_000
    seen = Counter(
        tuple(p.entry_id for p in draw(rules(2), pool, seed_of(n))) for n in range(trials)
    )
    chi2 = 0.0
    for i, j in permutations(weights, 2):
        expected = trials * weights[i] / total * weights[j] / (total - weights[i])
        chi2 += (seen[(i, j)] - expected) ** 2 / expected
    assert sum(seen.values()) == trials
    assert chi2 < 31.26  # 12 ordered pairs, 11 degrees of freedom, p = 0.001


def test_any_change_to_the_entries_or_the_seed_changes_the_result() -> None:
    pool = entries(200)
    base = draw(rules(5), pool, seed_of(7))
    changed_weight = EntryList.of(
        Entry(e.id, e.person, e.weight + (e.id == "r00100")) for e in pool.entries
    )
    dropped = EntryList.of(e for e in pool.entries if e.id != "r00150")
    added = EntryList.of([*pool.entries, Entry("r99999", "p9999", 1)])
    for other in (changed_weight, dropped, added):
        assert draw(rules(5), other, seed_of(7)) != base
    assert draw(rules(5), pool, seed_of(8)) != base


def test_protocol_round_trips_through_json(tmp_path: Path) -> None:
    pool = entries(30)
    protocol = run(
        INFO,
        rules(2, reserve=1),
        pool,
        seed_of(1),
        committed_at="2027-06-01T10:00:00+03:00",
        drawn_at="2027-06-17T12:00:00+03:00",
        labels={e.id: "+7 916 ***-**-67" for e in pool.entries},
    )
    path = tmp_path / "protocol.json"
    protocol.write(path)
    again = load_protocol(path)
    assert again == protocol
    assert set(again.labels) == {p.entry_id for p in protocol.picks}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "not valid JSON"),
        ('{"format": "other"}', "format"),
        ("[]", "malformed"),
    ],
)
def test_bad_protocol_files_are_user_errors(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "protocol.json"
    path.write_text(text)
    with pytest.raises(ProtocolInvalid, match=message):
        load_protocol(path)
