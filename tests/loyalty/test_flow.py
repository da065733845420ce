"""Import a generated export of the loyalty-gift example, select, issue vouchers, hand over."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from campaignctl.loyalty.book import LoyaltyBook
from campaignctl.loyalty.codes import normalise
from campaignctl.loyalty.export import read_export
from campaignctl.loyalty.importer import ImportReport, import_purchases
from campaignctl.loyalty.selection import select_members
from campaignctl.loyalty.vouchers import (
    VoucherRefused,
    export_vouchers,
    hand_over,
    issue_vouchers,
    summary,
    voucher_rows,
)
from campaignctl.runtime.stock import remaining
from campaignctl.store.runtime_tables import (
    loyalty_members,
    loyalty_purchases,
    participants,
    prize_stock,
    registrations,
)
from tests.loyalty.conftest import Plan, card, e164, fixed_clock, write_export

PLAN = Plan(members=120)


def _imported(book: LoyaltyBook, tmp_path: Path) -> None:
    export = write_export(tmp_path / "purchases.csv", list(PLAN.rows()))
    report = import_purchases(book, export)
    assert report.malformed == report.duplicates == 0


def test_import_reports_bad_lines_and_duplicates_by_line_number(
    book: LoyaltyBook, tmp_path: Path
) -> None:
    rows = [
        ["77880001", "2027-10-02 10:00", "300", "S1", "+79160000001"],  # line 2
        ["77880001", "2027-10-02 10:00", "300", "S1", "+79160000001"],  # 3: duplicate of 2
        ["77880002", "not a date", "300", "S1", ""],  # 4: malformed
        ["77880002", "2027-10-03 10:00", "три сотни", "S1", ""],  # 5: malformed
        ["77880002", "2027-10-03 10:00", "300", "S1", "123"],  # 6: counted, phone ignored
    ]
    export = write_export(tmp_path / "p.csv", rows)
    problems: list[str] = []
    report = import_purchases(book, export, on_problem=lambda p: problems.append(p.render()))
    assert (report.lines, report.imported, report.new_members) == (5, 2, 2)
    assert (report.duplicates, report.malformed, report.bad_phones) == (1, 2, 1)
    assert problems[0] == "line 3: the same purchase as line 2"
    assert [p.split(":")[0] for p in problems] == ["line 3", "line 4", "line 5", "line 6"]
    again = import_purchases(book, export)
    assert again.imported == 0 and again.duplicates == 3  # lines 2, 3 and 6
    assert again.problems[0].render() == "line 2: already imported (line 2)"


def test_phones_and_cards_are_stored_sealed(book: LoyaltyBook, tmp_path: Path) -> None:
    _imported(book, tmp_path)
    raw = book.engine.url.database
    assert raw is not None
    data = Path(raw).read_bytes()
    for k in (1, 11, 119):
        assert card(k).encode() not in data
        assert e164(k).encode() not in data
        assert e164(k)[2:].encode() not in data
    with book.engine.connect() as conn:
        sealed = conn.execute(
            select(loyalty_members.c.phone_sealed).where(
                loyalty_members.c.phone_hash == book.sealer.digest(e164(11))
            )
        ).scalar_one()
    assert book.sealer.open(sealed) == e164(11)


def test_selection_follows_the_criteria(book: LoyaltyBook, tmp_path: Path) -> None:
    _imported(book, tmp_path)
    report = select_members(book)
    assert report.members == PLAN.members
    assert report.qualified == report.newly_selected == len(PLAN.qualified)
    with book.engine.connect() as conn:
        rows = conn.execute(
            select(loyalty_members.c.member_hash, loyalty_members.c.purchases).where(
                loyalty_members.c.selected_at.is_not(None)
            )
        ).all()
    by_hash = {bytes(r.member_hash): r.purchases for r in rows}
    expected = {book.sealer.digest(card(k), label="loyalty-member") for k in PLAN.qualified}
    assert set(by_hash) == expected
    # Member 21 (21 % 12 == 9): nine purchases, one returned.
    assert by_hash[book.sealer.digest(card(21), label="loyalty-member")] == 8
    assert select_members(book).newly_selected == 0  # idempotent


def test_vouchers_claim_stock_and_never_go_negative(book: LoyaltyBook, tmp_path: Path) -> None:
    _imported(book, tmp_path)
    select_members(book)
    with book.engine.begin() as conn:
        conn.execute(update(prize_stock).values(remaining=10))
    report = issue_vouchers(book)
    assert report.issued == 10
    assert report.out_of_stock == len(PLAN.qualified) - 10
    assert remaining(book.engine)["thermo-mug"] == 0
    again = issue_vouchers(book)
    assert again.issued == 0 and again.out_of_stock == len(PLAN.qualified) - 10
    assert remaining(book.engine)["thermo-mug"] == 0
    with book.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(registrations)).scalar_one() == 10
        assert conn.execute(select(func.count()).select_from(participants)).scalar_one() == 10
        outcomes = set(conn.execute(select(registrations.c.outcome, registrations.c.channel)))
    assert outcomes == {("selected", "loyalty")}


def test_the_first_to_qualify_get_the_gifts(book: LoyaltyBook, tmp_path: Path) -> None:
    _imported(book, tmp_path)
    select_members(book)
    with book.engine.begin() as conn:
        conn.execute(update(prize_stock).values(remaining=3))
    issue_vouchers(book, notify=False)
    cards = {row["card"] for row in voucher_rows(book)}
    # Purchases are every second day from Oct 2 + k minutes: the Nth is on the same
    # day for everyone, so the earliest minute wins: the lowest qualifying members.
    assert cards == {card(k) for k in PLAN.qualified[:3]}


def test_hand_over_once_at_the_till_or_by_card(book: LoyaltyBook, tmp_path: Path) -> None:
    _imported(book, tmp_path)
    select_members(book)
    issue_vouchers(book, notify=False)
    rows = list(voucher_rows(book))
    assert len(rows) == len(PLAN.qualified)
    code = rows[0]["voucher"]
    assert normalise(code.lower().replace("-", " ")) == code
    done = hand_over(book, voucher=code.lower(), store="S05")
    assert done.via == "purchase" and done.prize == "thermo-mug"
    with pytest.raises(VoucherRefused, match="already handed over"):
        hand_over(book, voucher=code)
    by_card = hand_over(book, card=rows[1]["card"], via="delivery")
    assert by_card.via == "delivery"
    typo = code[:-1] + ("2" if code[-1] != "2" else "3")
    with pytest.raises(VoucherRefused, match="not a voucher code"):
        hand_over(book, voucher=typo)
    s = summary(book)
    assert s.issued == len(PLAN.qualified)
    assert s.handed_over == {"purchase": 1, "delivery": 1}


def test_expired_vouchers_are_refused(book: LoyaltyBook, tmp_path: Path) -> None:
    _imported(book, tmp_path)
    select_members(book)
    issue_vouchers(book, notify=False)
    code = next(voucher_rows(book))["voucher"]
    late = replace(book, clock=fixed_clock(book.clock() + timedelta(days=41)))
    with pytest.raises(VoucherRefused, match=r"expired on 15\.12\.2027"):
        hand_over(late, voucher=code)


def test_export_is_private(book: LoyaltyBook, tmp_path: Path) -> None:
    _imported(book, tmp_path)
    select_members(book)
    issue_vouchers(book, notify=False)
    out = tmp_path / "vouchers.csv"
    assert export_vouchers(book, out) == len(PLAN.qualified)
    assert out.stat().st_mode & 0o777 == 0o600
    assert out.read_text(encoding="utf-8").startswith("card;phone;voucher;valid_until;state")


def _peak(run: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_large_export_streams_in_bounded_memory(book: LoyaltyBook, tmp_path: Path) -> None:
    big = Plan(members=2000)  # 17,333 lines, nine chunks
    export = write_export(tmp_path / "big.csv", big.rows())
    lines = sum(1 for _ in big.rows())
    # Warm up what is built once per process (compiled SQL, the engine's pool).
    others = [["9" + row[0], *row[1:]] for row in Plan(members=12).rows()]
    import_purchases(book, write_export(tmp_path / "small.csv", others))
    reports: list[ImportReport] = []
    imported = _peak(lambda: reports.append(import_purchases(book, export, chunk_lines=250)))
    columns = book.rules.purchases_export
    whole = _peak(lambda: list(read_export(export, columns, book.zone)))
    assert reports[0].lines == reports[0].imported == lines
    # The import holds a chunk (250 lines here) and a cache entry per member, not the export.
    assert imported < whole / 3, (imported, whole)
    with book.engine.connect() as conn:
        stored = conn.execute(select(func.count()).select_from(loyalty_purchases)).scalar_one()
    assert stored == lines + len(others)
    assert select_members(book).qualified == len(big.qualified) + len(Plan(12).qualified)
