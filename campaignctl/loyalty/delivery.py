"""A delivery request from the site's loyalty form: the member's phone finds the voucher.

The form (``templates/promo_site/register.html`` for a loyalty campaign whose
``fulfilment`` includes ``delivery``) posts ``phone``, the spec's personal-data
fields (``name``), ``address``, ``consent`` and ``age_confirmed`` to
``POST /api/v1/registrations``, like every other registration form. The answer
uses the same shapes: ``201`` with the message, ``422`` with per-field errors,
``409`` when a delivery was already requested (or the gift handed over), ``429``
from the runtime's anti-fraud limits. The name and address are sealed; a phone
that has no live voucher counts as a failed attempt, so the form is no cheap
oracle of who qualified.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, timedelta

from sqlalchemy import select, update

from campaignctl.loyalty.book import LoyaltyBook
from campaignctl.model.campaign import Campaign
from campaignctl.model.policy import AntiFraud
from campaignctl.runtime import messages
from campaignctl.runtime.antifraud import Guard, Subjects, Throttled, utc
from campaignctl.runtime.phones import normalise_phone
from campaignctl.store.runtime_tables import loyalty_members, loyalty_vouchers

MAX_TEXT = 300
_TRUE = {"true", "1", "yes", "on", "да"}
NOT_FOUND = (
    "Этот номер не найден среди участников, выполнивших условия акции. "
    "Проверьте номер, к которому привязана карта."
)
ALREADY = "Заявка с этим номером телефона уже принята."
HANDED = "Подарок по этому номеру уже получен."
EXPIRED = "Срок получения подарка истек {date}."
NO_DELIVERY = "В этой акции подарки выдаются только в магазинах."


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict[str, object]
    retry_after: int | None = None


def takes_delivery_requests(campaign: Campaign) -> bool:
    """A loyalty-only campaign: its registration form is the delivery request."""
    m = campaign.mechanics
    return m.loyalty is not None and m.codes is None and m.receipts is None


def _text(raw: Mapping[str, object], name: str) -> str | None:
    value = raw.get(name)
    return value.strip() if isinstance(value, str) and value.strip() else None


def _flag(raw: Mapping[str, object], *names: str) -> bool:
    for name in names:
        value = raw.get(name)
        if value is True or (isinstance(value, str) and value.strip().lower() in _TRUE):
            return True
    return False


def _invalid(errors: dict[str, str]) -> Answer:
    return Answer(422, {"message": "Проверьте поля, отмеченные красным.", "errors": errors})


def check_form(book: LoyaltyBook, raw: Mapping[str, object]) -> tuple[str, dict[str, str]] | Answer:
    """The phone (E.164) and the sealed details to keep, or a 422 answer with every field's problem."""
    errors: dict[str, str] = {}
    phone_text = _text(raw, "phone")
    phone = normalise_phone(phone_text) if phone_text and len(phone_text) <= 32 else None
    if phone_text is None:
        errors["phone"] = "Введите номер мобильного телефона."
    elif phone is None:
        errors["phone"] = "Нужен российский мобильный номер, например +7 900 123-45-67."
    details: dict[str, str] = {}
    wanted = [f for f in ("name", "email", "city") if f in book.campaign.personal_data.fields]
    for name in [*wanted, "address"]:
        value = _text(raw, name)
        if value is None:
            errors[name] = "Заполните это поле."
        elif len(value) > MAX_TEXT:
            errors[name] = "Слишком длинное значение."
        else:
            details[name] = value
    if not _flag(raw, "consent", "personal_data_consent"):
        errors["consent"] = "Без согласия на обработку персональных данных участие невозможно."
    if book.campaign.audience.min_age and not _flag(raw, "age_confirmed"):
        errors["age_confirmed"] = (
            f"Участвовать могут лица старше {book.campaign.audience.min_age} лет."
        )
    if errors:
        return _invalid(errors)
    assert phone is not None  # noqa: S101 - errors holds "phone" otherwise
    return phone, details


def request_delivery(
    book: LoyaltyBook,
    raw: Mapping[str, object],
    *,
    ip: str | None = None,
    device: str | None = None,
    policy: AntiFraud | None = None,
) -> Answer:
    """Record a delivery request for the voucher of the member with this phone."""
    if "delivery" not in book.rules.fulfilment:
        return _invalid({"form": NO_DELIVERY})
    checked = check_form(book, raw)
    if isinstance(checked, Answer):
        return checked
    phone, details = checked
    now = book.local_now()
    digest = book.sealer.digest(phone)
    guard = Guard(policy or book.campaign.anti_fraud)
    subjects = Subjects(digest.hex()[:32], ip, device)
    m, v = loyalty_members.c, loyalty_vouchers.c
    try:
        with book.engine.begin() as conn:
            guard.check(conn, subjects, now)
            guard.count_attempt(conn, subjects, now)
            rows = conn.execute(
                select(v.id, v.valid_until, v.handed_over_at, v.delivery_requested_at, v.prize_id)
                .join(loyalty_members, m.id == v.member_id)
                .where(m.phone_hash == digest)
                .order_by(v.handed_over_at.is_not(None), v.id)
            ).all()
            if not rows:
                guard.count_failure(conn, subjects, now)
                return Answer(422, {"message": NOT_FOUND, "errors": {"phone": NOT_FOUND}})
            row = rows[0]
            if row.handed_over_at is not None:
                return Answer(409, {"outcome": "already_registered", "message": HANDED})
            if row.delivery_requested_at is not None:
                return Answer(409, {"outcome": "already_registered", "message": ALREADY})
            if utc(row.valid_until) <= now.astimezone(UTC):
                last = (utc(row.valid_until) - timedelta(seconds=1)).astimezone(book.zone)
                text = EXPIRED.format(date=f"{last:%d.%m.%Y}")
                return Answer(422, {"message": text, "errors": {"form": text}})
            sealed = book.sealer.seal(
                json.dumps(details, ensure_ascii=False), context=b"loyalty-delivery"
            )
            changed = conn.execute(
                update(loyalty_vouchers)
                .where(
                    v.id == row.id, v.delivery_requested_at.is_(None), v.handed_over_at.is_(None)
                )
                .values(delivery_requested_at=now.astimezone(UTC), delivery_sealed=sealed)
            ).rowcount
            if changed != 1:
                return Answer(409, {"outcome": "already_registered", "message": ALREADY})
            prize = book.campaign.prize(str(row.prize_id))
    except Throttled as exc:
        text = messages.BLOCKED if exc.reason == "blocked" else messages.LIMITED
        return Answer(429, {"outcome": exc.reason, "message": text}, retry_after=exc.retry_after)
    name = prize.name if prize else "Подарок"
    return Answer(
        201,
        {
            "id": f"delivery-{row.id}",
            "outcome": "selected",
            "message": f"Заявка принята. {name} доставит курьер; мы позвоним, чтобы согласовать время.",
            "prize": {"id": prize.id, "name": prize.name} if prize else None,
            "draw_entries": 0,
            "points": 0,
        },
    )


def delivery_details(book: LoyaltyBook, sealed: bytes) -> dict[str, str]:
    """The name and address of a delivery request (for the courier list)."""
    data: dict[str, str] = json.loads(book.sealer.open(sealed, context=b"loyalty-delivery"))
    return data
