"""Vouchers: one per selected member, the reward's stock claimed with it, handed over once.

Issuing walks the selected members without a voucher in the order they
qualified and, for each, in one transaction: claims a unit of the reward prize
(a conditional UPDATE, so the stock never goes negative, even with two issuers
at once), stores the voucher's keyed hash, records the member as a participant
with a ``selected`` registration (channel ``loyalty``; the registration hooks
sync it to the CRM) and queues the SMS with the code. When the stock runs out,
the rest stay selected without a voucher and the report says how many.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Connection, Row, Select, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from campaignctl.codes.keys import subkey
from campaignctl.crm.record import RegistrationRecord
from campaignctl.errors import UserError
from campaignctl.loyalty.book import LoyaltyBook
from campaignctl.loyalty.codes import normalise, voucher_code, voucher_hash
from campaignctl.loyalty.importer import member_hash
from campaignctl.runtime import hooks
from campaignctl.runtime.antifraud import utc
from campaignctl.runtime.ids import new_id
from campaignctl.runtime.participants import participant_id
from campaignctl.runtime.stock import claim
from campaignctl.store.runtime_tables import loyalty_members, loyalty_vouchers, registrations

Via = Literal["purchase", "delivery"]
MAX_ATTEMPTS = 8


class VoucherRefused(UserError):
    """A hand-over that cannot happen: unknown, expired or already handed over."""


@dataclass(frozen=True)
class IssueReport:
    issued: int
    out_of_stock: int
    """Selected members left without a voucher because the stock ran out."""
    same_phone: int
    """Selected cards skipped: their phone already has the reward (per-person limit)."""
    without_phone: int
    """Issued to cards without a phone: no SMS; handed over by card number at the till."""


@dataclass(frozen=True)
class Handover:
    voucher_id: int
    via: Via
    at: datetime
    prize: str


def voucher_key(book: LoyaltyBook) -> bytes:
    return subkey(book.sealer.hash_key, "loyalty/voucher/v1")


def valid_until(book: LoyaltyBook, issued: datetime) -> datetime:
    """The end of the voucher's last day, and never after the claim deadline."""
    last = issued.astimezone(book.zone).date() + timedelta(days=book.rules.voucher_valid_days)
    last = min(last, book.campaign.period.claim_deadline)
    return datetime.combine(last + timedelta(days=1), time(0), tzinfo=book.zone)


def sms_text(book: LoyaltyBook, code: str, until: datetime) -> str:
    from campaignctl.delivery.sms import reply_text  # noqa: PLC0415 - renders the texts on demand

    prize = book.campaign.prize(book.rules.reward_prize)
    gift = prize.name if prize else "подарок"
    intro = reply_text(
        book.campaign, "selected", None, fallback=f"Вы выполнили условия акции! {gift}."
    )
    last = (until - timedelta(seconds=1)).astimezone(book.zone)
    return f"{intro} Код подарка: {code}, действует до {last:%d.%m.%Y}."


def issue_vouchers(book: LoyaltyBook, *, notify: bool = True, batch: int = 200) -> IssueReport:
    """Give every selected member without a voucher one, while the stock lasts."""
    hooks_ready()
    prize = book.campaign.prize(book.rules.reward_prize)
    limit = prize.per_person_limit if prize else None
    m = loyalty_members.c
    issued = same_phone = no_phone = 0
    while True:
        with book.engine.begin() as conn:
            pending = conn.execute(
                select(m.id, m.phone_hash, m.phone_sealed)
                .outerjoin(loyalty_vouchers, loyalty_vouchers.c.member_id == m.id)
                .where(m.selected_at.is_not(None), loyalty_vouchers.c.id.is_(None))
                .order_by(m.qualified_at, m.id)
                .limit(batch)
            ).all()
            if not pending:
                break
            for row in pending:
                phone = book.sealer.open(row.phone_sealed) if row.phone_sealed else None
                if (
                    limit is not None
                    and phone is not None
                    and _phone_has(conn, book, row.phone_hash) >= limit
                ):
                    conn.execute(
                        update(loyalty_members).where(m.id == row.id).values(selected_at=None)
                    )
                    same_phone += 1
                    continue
                if not claim(conn, book.rules.reward_prize):
                    return IssueReport(issued, _left(conn), same_phone, no_phone)
                _issue(conn, book, row.id, phone, notify)
                issued += 1
                no_phone += phone is None
    with book.engine.connect() as conn:
        return IssueReport(issued, _left(conn), same_phone, no_phone)


def hooks_ready() -> None:
    from campaignctl.runtime import plugins  # noqa: PLC0415 - the CRM hook lives in delivery

    plugins.install()


def _phone_has(conn: Connection, book: LoyaltyBook, phone_hash: bytes | None) -> int:
    return int(
        conn.execute(
            select(func.count())
            .select_from(loyalty_vouchers)
            .join(loyalty_members, loyalty_members.c.id == loyalty_vouchers.c.member_id)
            .where(loyalty_members.c.phone_hash == phone_hash)
        ).scalar_one()
    )


def _left(conn: Connection) -> int:
    m = loyalty_members.c
    return int(
        conn.execute(
            select(func.count())
            .select_from(loyalty_members)
            .outerjoin(loyalty_vouchers, loyalty_vouchers.c.member_id == m.id)
            .where(m.selected_at.is_not(None), loyalty_vouchers.c.id.is_(None))
        ).scalar_one()
    )


def _issue(
    conn: Connection, book: LoyaltyBook, member: int, phone: str | None, notify: bool
) -> None:
    now = book.clock().astimezone(UTC)
    until = valid_until(book, now)
    key = voucher_key(book)
    code = ""
    for attempt in range(MAX_ATTEMPTS):
        code = voucher_code(key, member, attempt)
        try:
            with conn.begin_nested():
                conn.execute(
                    insert(loyalty_vouchers).values(
                        member_id=member,
                        voucher=voucher_hash(key, code),
                        prize_id=book.rules.reward_prize,
                        issued_at=now,
                        valid_until=until.astimezone(UTC),
                    )
                )
            break
        except IntegrityError:  # two members' codes collided (odds ~ n²/2^45): next attempt
            continue
    if phone is None:
        return
    person = participant_id(conn, book.sealer, phone, now)
    conn.execute(
        update(loyalty_members).where(loyalty_members.c.id == member).values(participant_id=person)
    )
    reg_id = new_id()
    conn.execute(
        insert(registrations).values(
            id=reg_id,
            participant_id=person,
            channel="loyalty",
            mechanic="loyalty",
            outcome="selected",
            prize_id=book.rules.reward_prize,
            draw_entries=0,
            points=0,
            moderation="none",
            created_at=now,
        )
    )
    record = RegistrationRecord(
        id=reg_id,
        campaign=book.campaign.slug,
        registered_at=now,
        channel="loyalty",
        phone=phone,
        outcome="selected",
        prize=book.rules.reward_prize,
    )
    hooks.after_registration(conn, book.campaign, record)
    if notify:
        from campaignctl.delivery.sms import enqueue_sms  # noqa: PLC0415

        enqueue_sms(
            conn,
            book.campaign,
            key=f"loyalty-voucher:{book.campaign.slug}:{member}",
            phone=phone,
            text=sms_text(book, code, until),
            outcome="selected",
            registration_id=reg_id,
        )


def _find(conn: Connection, book: LoyaltyBook, voucher: str | None, card: str | None) -> Row[Any]:
    v = loyalty_vouchers.c
    query = select(loyalty_vouchers)
    if voucher is not None:
        code = normalise(voucher)
        if code is None:
            raise VoucherRefused(
                f"{voucher!r} is not a voucher code (a typo? the check character does not match)"
            )
        query = query.where(v.voucher == voucher_hash(voucher_key(book), code))
    elif card is not None:
        query = query.join(loyalty_members, loyalty_members.c.id == v.member_id).where(
            loyalty_members.c.member_hash == member_hash(book, card.strip())
        )
    else:
        raise VoucherRefused("name a voucher code or a card number")
    row = conn.execute(query).first()
    if row is None:
        raise VoucherRefused("no voucher was issued with this code or to this card")
    return row


def hand_over(
    book: LoyaltyBook,
    *,
    voucher: str | None = None,
    card: str | None = None,
    via: Via = "purchase",
    store: str | None = None,
) -> Handover:
    """Mark the gift handed over, once; :class:`VoucherRefused` says why not."""
    if ("next_purchase" if via == "purchase" else "delivery") not in book.rules.fulfilment:
        raise VoucherRefused(f"this campaign does not hand gifts over by {via}")
    now = book.clock().astimezone(UTC)
    with book.engine.begin() as conn:
        row = _find(conn, book, voucher, card)
        vid = int(row.id)
        done = row.handed_over_at
        if done is not None:
            local = utc(done).astimezone(book.zone)
            raise VoucherRefused(f"already handed over on {local:%d.%m.%Y %H:%M} ({row.handover})")
        if utc(row.valid_until) <= now:
            last = (utc(row.valid_until) - timedelta(seconds=1)).astimezone(book.zone)
            raise VoucherRefused(f"the voucher expired on {last:%d.%m.%Y}")
        changed = conn.execute(
            update(loyalty_vouchers)
            .where(loyalty_vouchers.c.id == vid, loyalty_vouchers.c.handed_over_at.is_(None))
            .values(handed_over_at=now, handover=via, store=(store or None) and store[:64])
        ).rowcount
        if changed != 1:  # handed over by another till a moment ago
            raise VoucherRefused("already handed over")
        prize = str(row.prize_id)
    return Handover(vid, via, now, prize)


@dataclass(frozen=True)
class Summary:
    members: int
    selected: int
    issued: int
    handed_over: dict[str, int]
    delivery_requested: int
    expired: int
    stock_remaining: int


def summary(book: LoyaltyBook) -> Summary:
    from campaignctl.runtime.stock import remaining  # noqa: PLC0415

    now = book.clock().astimezone(UTC)
    m, v = loyalty_members.c, loyalty_vouchers.c
    with book.engine.connect() as conn:

        def count(query: Select[Any]) -> int:
            return int(conn.execute(query).scalar_one())

        members = count(select(func.count()).select_from(loyalty_members))
        selected = count(select(func.count()).where(m.selected_at.is_not(None)))
        issued = count(select(func.count()).select_from(loyalty_vouchers))
        by_way = {
            str(r.handover): int(r.n)
            for r in conn.execute(
                select(v.handover, func.count().label("n"))
                .where(v.handover.is_not(None))
                .group_by(v.handover)
            )
        }
        requested = count(
            select(func.count()).where(
                v.delivery_requested_at.is_not(None), v.handed_over_at.is_(None)
            )
        )
        expired = count(
            select(func.count()).where(v.handed_over_at.is_(None), v.valid_until <= now)
        )
    stock = remaining(book.engine).get(book.rules.reward_prize, 0)
    return Summary(members, selected, issued, by_way, requested, expired, stock)


def voucher_rows(book: LoyaltyBook) -> Iterator[dict[str, str]]:
    """Every voucher with its code, card and phone in clear: for a mailing the SMS gateway cannot do."""
    key = voucher_key(book)
    m, v = loyalty_members.c, loyalty_vouchers.c
    with book.engine.connect() as conn:
        rows = conn.execute(
            select(
                v.member_id,
                v.voucher,
                v.valid_until,
                v.handover,
                v.delivery_requested_at,
                m.member_sealed,
                m.phone_sealed,
            )
            .join(loyalty_members, m.id == v.member_id)
            .order_by(v.id)
        ).all()
    for r in rows:
        code = next(
            c
            for c in (voucher_code(key, r.member_id, a) for a in range(MAX_ATTEMPTS))
            if voucher_hash(key, c) == r.voucher
        )
        last = (utc(r.valid_until) - timedelta(seconds=1)).astimezone(book.zone)
        yield {
            "card": book.sealer.open(r.member_sealed, context=b"loyalty-member"),
            "phone": book.sealer.open(r.phone_sealed) if r.phone_sealed else "",
            "voucher": code,
            "valid_until": last.date().isoformat(),
            "state": r.handover or ("delivery_requested" if r.delivery_requested_at else "issued"),
        }


def export_vouchers(book: LoyaltyBook, path: Path) -> int:
    """Write :func:`voucher_rows` to a new 0600 CSV (personal data); how many rows."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    count = 0
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(
            handle, ["card", "phone", "voucher", "valid_until", "state"], delimiter=";"
        )
        writer.writeheader()
        for row in voucher_rows(book):
            writer.writerow(row)
            count += 1
    return count
