"""Small builders for draw tests."""

from __future__ import annotations

import hashlib
from decimal import Decimal

from campaignctl.draws import DrawRules, Entry, EntryList, PrizeLine, RoundInfo

INFO = RoundInfo(
    campaign="test-promo",
    campaign_name="Тестовая акция",
    organizer='ООО "Тест"',
    round="week-01",
    round_name="Розыгрыш 1-й недели",
    scheduled_at="2027-06-17T12:00:00+03:00",
    entries_start="2027-06-07",
    entries_end="2027-06-13",
)


def seed_of(n: int) -> bytes:
    """A fixed 32-byte seed per test case, so a statistical test gives the same verdict each run."""
    return hashlib.sha256(f"test-seed-{n}".encode()).digest()


def rules(*quantities: int, reserve: int = 0, per_person: int = 1) -> DrawRules:
    return DrawRules(
        prizes=tuple(
            PrizeLine(f"prize-{i}", f"Приз {i}", Decimal(1000 * (i + 1)), q)
            for i, q in enumerate(quantities)
        ),
        reserve_winners=reserve,
        max_wins_per_person=per_person,
    )


def entries(count: int, *, persons: int | None = None, weight: int = 1) -> EntryList:
    persons = persons or count
    return EntryList.of(
        Entry(f"r{i:05d}", f"p{i % persons:04d}", weight + i % 3) for i in range(count)
    )
