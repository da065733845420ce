"""Stream a purchases export into the state database, in chunks, with bounded memory.

Each purchase line becomes a ``loyalty_purchases`` row keyed by a keyed hash of
(member, moment, amount, store): a line repeated in the export, or an export
imported twice, is reported as a duplicate and stored once. Duplicates are found
in the database (one query per chunk), not in a set of every line seen, so the
memory a run needs does not grow with the export. Members are created on first
sight; card numbers and phones are stored sealed and found by keyed hashes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path

from sqlalchemy import Connection, bindparam, insert, select, update

from campaignctl.loyalty.book import LoyaltyBook
from campaignctl.loyalty.export import Problem, PurchaseLine, read_export
from campaignctl.store.runtime_tables import loyalty_members, loyalty_purchases

CHUNK = 2000
KEPT_PROBLEMS = 100
"""Problems kept in the report; every one goes to ``on_problem``."""

Progress = Callable[[int], None]


@dataclass
class ImportReport:
    lines: int = 0
    imported: int = 0
    new_members: int = 0
    duplicates: int = 0
    malformed: int = 0
    bad_phones: int = 0
    problems: list[Problem] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        if problem.kind == "duplicate":
            self.duplicates += 1
        elif problem.kind == "malformed":
            self.malformed += 1
        else:
            self.bad_phones += 1
        if len(self.problems) < KEPT_PROBLEMS:
            self.problems.append(problem)


def member_hash(book: LoyaltyBook, member_id: str) -> bytes:
    return book.sealer.digest(member_id, label="loyalty-member")


def _row_hash(book: LoyaltyBook, p: PurchaseLine) -> bytes:
    moment = p.purchased_at.astimezone(UTC).isoformat()
    return book.sealer.digest(
        f"{p.member_id}|{moment}|{p.amount_kopecks}|{p.store or ''}", label="loyalty-purchase"
    )


def _chunks(
    items: Iterable[PurchaseLine | Problem], size: int
) -> Iterator[list[PurchaseLine | Problem]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def import_purchases(
    book: LoyaltyBook,
    path: Path,
    *,
    progress: Progress | None = None,
    on_problem: Callable[[Problem], None] | None = None,
    chunk_lines: int = CHUNK,
) -> ImportReport:
    """Import ``path``; one transaction per chunk, so an interrupted run resumes by re-running."""
    report = ImportReport()
    members: dict[bytes, int] = {}
    phones: dict[int, bytes | None] = {}
    now = book.clock().astimezone(UTC)

    lines = read_export(path, book.rules.purchases_export, book.zone)
    for chunk in _chunks(lines, chunk_lines):
        report.lines += len(chunk)
        purchases: list[PurchaseLine] = []
        problems: list[Problem] = []
        for item in chunk:
            if isinstance(item, Problem):
                problems.append(item)
                continue
            if item.bad_phone:
                problems.append(
                    Problem(item.line, "phone", "not a Russian mobile number; phone ignored")
                )
            purchases.append(item)
        with book.engine.begin() as conn:
            ids = _members(book, conn, purchases, members, phones, now, report)
            rows = _fresh_rows(book, conn, purchases, ids, problems.append)
            if rows:
                conn.execute(insert(loyalty_purchases), rows)
            report.imported += len(rows)
        for problem in sorted(problems, key=lambda p: p.line):
            report.add(problem)
            if on_problem is not None:
                on_problem(problem)
        if progress is not None:
            progress(len(chunk))
    return report


def _members(
    book: LoyaltyBook,
    conn: Connection,
    purchases: list[PurchaseLine],
    cache: dict[bytes, int],
    phones: dict[int, bytes | None],
    now: datetime,
    report: ImportReport,
) -> dict[str, int]:
    """Member ids of the chunk's card numbers, creating new members; phones kept up to date."""
    wanted = {p.member_id: member_hash(book, p.member_id) for p in purchases}
    unknown = [h for h in set(wanted.values()) if h not in cache]
    if unknown:
        for row in conn.execute(
            select(
                loyalty_members.c.id, loyalty_members.c.member_hash, loyalty_members.c.phone_hash
            ).where(loyalty_members.c.member_hash.in_(unknown))
        ):
            cache[bytes(row.member_hash)] = row.id
            phones[row.id] = bytes(row.phone_hash) if row.phone_hash is not None else None
    new = {card: h for card, h in wanted.items() if h not in cache}
    if new:
        conn.execute(
            insert(loyalty_members),
            [
                {
                    "member_hash": h,
                    "member_sealed": book.sealer.seal(card, context=b"loyalty-member"),
                    "purchases": 0,
                    "total_kopecks": 0,
                    "imported_at": now,
                }
                for card, h in new.items()
            ],
        )
        for fresh in conn.execute(
            select(loyalty_members.c.id, loyalty_members.c.member_hash).where(
                loyalty_members.c.member_hash.in_(list(new.values()))
            )
        ):
            cache[bytes(fresh.member_hash)] = fresh.id
            phones[fresh.id] = None
        report.new_members += len(new)
    ids = {card: cache[h] for card, h in wanted.items()}
    # The newest phone of a member wins (a card moved to another number).
    latest: dict[int, PurchaseLine] = {}
    for p in purchases:
        if p.phone is not None:
            mid = ids[p.member_id]
            if mid not in latest or p.purchased_at >= latest[mid].purchased_at:
                latest[mid] = p
    changed: list[dict[str, object]] = []
    for mid, p in latest.items():
        assert p.phone is not None  # noqa: S101 - filtered above
        digest = book.sealer.digest(p.phone)
        if phones.get(mid) != digest:
            changed.append({"mid": mid, "ph": digest, "ps": book.sealer.seal(p.phone)})
            phones[mid] = digest
    if changed:
        conn.execute(
            update(loyalty_members)
            .where(loyalty_members.c.id == bindparam("mid"))
            .values(phone_hash=bindparam("ph"), phone_sealed=bindparam("ps")),
            changed,
        )
    return ids


def _fresh_rows(
    book: LoyaltyBook,
    conn: Connection,
    purchases: list[PurchaseLine],
    ids: dict[str, int],
    problem: Callable[[Problem], None],
) -> list[dict[str, object]]:
    hashed = [(p, _row_hash(book, p)) for p in purchases]
    stored = {
        bytes(r.row_hash): r.line
        for r in conn.execute(
            select(loyalty_purchases.c.row_hash, loyalty_purchases.c.line).where(
                loyalty_purchases.c.row_hash.in_([h for _, h in hashed])
            )
        )
    }
    seen: dict[bytes, int] = {}
    rows: list[dict[str, object]] = []
    for p, h in hashed:
        if h in seen:
            problem(Problem(p.line, "duplicate", f"the same purchase as line {seen[h]}"))
            continue
        if h in stored:
            # An earlier chunk of this export, or an earlier import of one.
            problem(Problem(p.line, "duplicate", f"already imported (line {stored[h]})"))
            continue
        seen[h] = p.line
        rows.append(
            {
                "member_id": ids[p.member_id],
                "row_hash": h,
                "line": p.line,
                "purchased_at": p.purchased_at.astimezone(UTC),
                "amount_kopecks": p.amount_kopecks,
                "store": p.store,
            }
        )
    return rows
