"""The loyalty-gift example in a temporary folder and a generated purchases export for it.

The export is built from a plan whose answers are known by construction: member
``K`` makes ``K % 12`` purchases of 300 RUB in October 2027 (so members with
``K % 12 >= 8`` qualify), plus noise that must not count: purchases below 250 RUB,
purchases in September and November, and, for members with ``K % 12 == 9``, one
return of 300 RUB (9 - 1 = 8: they still qualify) and for ``K % 12 == 8`` one
return as well (8 - 1 = 7: they drop out).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from campaignctl.loyalty.book import LoyaltyBook, open_book
from campaignctl.model.campaign import Campaign
from tests.runtime.conftest import copy_example

MSK = ZoneInfo("Europe/Moscow")
HEADER = ["card_number", "check_datetime", "check_sum", "shop_code", "member_phone"]


def card(k: int) -> str:
    return f"7788{k:08d}"


def phone(k: int) -> str:
    return f"+7 (916) {k // 10000 % 1000:03d}-{k // 100 % 100:02d}-{k % 100:02d}"


def e164(k: int) -> str:
    return f"+7916{k // 10000 % 1000:03d}{k // 100 % 100:02d}{k % 100:02d}"


@dataclass(frozen=True)
class Plan:
    members: int

    def qualifies(self, k: int) -> bool:
        # 9..11 purchases qualify (9 minus a return is still 8); 8 minus a return is 7.
        return k % 12 >= 9

    @property
    def qualified(self) -> list[int]:
        return [k for k in range(self.members) if self.qualifies(k)]

    def rows(self) -> Iterator[list[str]]:
        for k in range(self.members):
            n = k % 12
            base = datetime(2027, 10, 1, 9, 0, tzinfo=MSK) + timedelta(minutes=k)
            for i in range(n):
                at = base + timedelta(days=2 * i + 1)
                yield [card(k), at.strftime("%d.%m.%Y %H:%M"), "300,00", f"S{i % 7:02d}", phone(k)]
            # Noise: too small, outside the window.
            yield [card(k), (base + timedelta(days=3)).isoformat(), "249.99", "S01", phone(k)]
            yield [card(k), "2027-09-30 23:59:00", "1 000,00", "S02", phone(k)]
            yield [card(k), "2027-11-01T00:00:00+03:00", "500", "S03", phone(k)]
            if n in (8, 9):
                at = base + timedelta(days=25)
                yield [card(k), at.isoformat(), "-300.00", "S04", phone(k)]


def write_export(path: Path, rows: Iterator[list[str]] | list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


@pytest.fixture
def gift(tmp_path: Path) -> Campaign:
    return copy_example("loyalty-gift", tmp_path / "gift")


def fixed_clock(at: datetime) -> Callable[[], datetime]:
    return lambda: at


AFTER_WINDOW = datetime(2027, 11, 5, 12, 0, tzinfo=MSK)


@pytest.fixture
def book(gift: Campaign) -> Iterator[LoyaltyBook]:
    opened = open_book(gift, clock=fixed_clock(AFTER_WINDOW))
    yield opened
    opened.engine.dispose()
