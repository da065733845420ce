"""The client's purchases export: a CSV read line by line, each line checked.

Column names come from the spec's ``mechanics.loyalty.purchases_export``. Loyalty
systems export with ``;`` or ``,`` (told apart by the header), in UTF-8 with or
without a BOM, amounts as ``1 250,50`` or ``1250.50`` and dates as ISO
(``2027-10-05 12:30``, ``2027-10-05T12:30:00``) or Russian (``05.10.2027 12:30``),
in the campaign's time zone unless they carry an offset. A negative amount is a
return. Lines are yielded one at a time: an export of millions of lines is
never held in memory.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from campaignctl.errors import UserError
from campaignctl.model.mechanics import PurchasesExport
from campaignctl.runtime.phones import normalise_phone

MAX_MEMBER_ID = 64
MAX_STORE = 64
ProblemKind = Literal["malformed", "duplicate", "phone"]


class ExportUnreadable(UserError):
    """The export cannot be read as the spec describes it."""


@dataclass(frozen=True)
class PurchaseLine:
    line: int
    member_id: str
    purchased_at: datetime
    """Aware."""
    amount_kopecks: int
    store: str | None
    phone: str | None
    """E.164, or None when the line has none (or not a Russian mobile)."""
    bad_phone: bool = False
    """The phone cell is filled but not a Russian mobile: reported, the purchase still counts."""


@dataclass(frozen=True)
class Problem:
    line: int
    kind: ProblemKind
    message: str

    def render(self) -> str:
        return f"line {self.line}: {self.message}"


def parse_amount(text: str) -> int | None:
    """``1 250,50`` → 125050 kopecks; None if not an amount."""
    raw = text.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        return None
    if not value.is_finite() or abs(value) >= Decimal(10) ** 9:
        return None
    kopecks = value * 100
    if kopecks != kopecks.to_integral_value():
        return None
    return int(kopecks)


_RUSSIAN = re.compile(r"(\d{2})\.(\d{2})\.(\d{4})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?")


def parse_moment(text: str, zone: ZoneInfo) -> datetime | None:
    raw = text.strip()
    parsed: datetime | None = None
    russian = _RUSSIAN.fullmatch(raw)
    if russian is not None:  # the common case, without strptime's cost on millions of lines
        day, month, year, hour, minute, second = (int(g) if g else 0 for g in russian.groups())
        try:
            return datetime(year, month, day, hour, minute, second, tzinfo=zone)
        except ValueError:
            return None
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=zone)


# A member's phone repeats on every one of their lines.
_phone = lru_cache(maxsize=4096)(normalise_phone)


def _delimiter(header: str) -> str:
    return ";" if header.count(";") > header.count(",") else ","


def read_export(
    path: Path, columns: PurchasesExport, zone: ZoneInfo
) -> Iterator[PurchaseLine | Problem]:
    """Every data line of the export as a :class:`PurchaseLine` or a :class:`Problem`."""
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise ExportUnreadable(f"cannot open the export: {exc.strerror}", path=path) from None
    with handle:
        try:
            first = handle.readline()
        except UnicodeDecodeError:
            raise ExportUnreadable(
                "the export is not UTF-8 text", hint="export as CSV in UTF-8", path=path
            ) from None
        handle.seek(0)
        reader = csv.reader(handle, delimiter=_delimiter(first))
        try:
            header = [h.strip() for h in next(reader, [])]
            index = _columns(header, columns, path)
            for row in reader:
                if not any(cell.strip() for cell in row):
                    continue
                yield _line(reader.line_num, row, index, zone)
        except UnicodeDecodeError:
            raise ExportUnreadable(
                f"line {reader.line_num + 1}: not UTF-8 text",
                hint="export as CSV in UTF-8",
                path=path,
            ) from None
        except csv.Error as exc:
            raise ExportUnreadable(f"line {reader.line_num}: {exc}", path=path) from None


def _columns(header: list[str], columns: PurchasesExport, path: Path) -> dict[str, int]:
    wanted = {
        "member_id": columns.member_id,
        "purchased_at": columns.purchased_at,
        "amount_rub": columns.amount_rub,
        "store": columns.store,
        "phone": columns.phone,
    }
    found = {name: header.index(col) for name, col in wanted.items() if col in header}
    missing = [wanted[n] for n in ("member_id", "purchased_at", "amount_rub") if n not in found]
    if missing:
        raise ExportUnreadable(
            f"the header has no column {', '.join(missing)} (it has: {', '.join(header) or 'nothing'})",
            hint="name the export's columns in mechanics.loyalty.purchases_export",
            path=path,
        )
    return found


def _line(
    number: int, row: list[str], index: dict[str, int], zone: ZoneInfo
) -> PurchaseLine | Problem:
    def cell(name: str) -> str:
        at = index.get(name)
        return row[at].strip() if at is not None and at < len(row) else ""

    if len(row) < max(index.values()) + 1:
        return Problem(number, "malformed", f"{len(row)} fields, the header has more")
    member = cell("member_id")
    if not member or len(member) > MAX_MEMBER_ID:
        return Problem(number, "malformed", f"member id {member[:20]!r} is empty or too long")
    moment = parse_moment(cell("purchased_at"), zone)
    if moment is None:
        return Problem(number, "malformed", f"{cell('purchased_at')[:40]!r} is not a date and time")
    amount = parse_amount(cell("amount_rub"))
    if amount is None:
        return Problem(
            number, "malformed", f"{cell('amount_rub')[:40]!r} is not an amount in rubles"
        )
    store = cell("store")[:MAX_STORE] or None
    phone_text = cell("phone")
    phone = _phone(phone_text) if phone_text and len(phone_text) <= 32 else None
    return PurchaseLine(
        number, member, moment, amount, store, phone, bad_phone=bool(phone_text) and phone is None
    )
