"""A registration as submitted (JSON, a form post, an SMS), checked field by field.

Field names are the site form's: ``code``, ``receipt`` (also ``receipt_qr``),
``phone``, ``consent`` (also ``personal_data_consent``), ``age_confirmed``, and
the spec's personal-data fields. Errors come back keyed by those names with a
Russian message, the shape the site's script shows next to each field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from campaignctl.model.campaign import Campaign
from campaignctl.registration import Channel
from campaignctl.runtime.phones import normalise_phone

EXTRA_FIELDS = ("name", "email", "birth_date", "city", "address")
_EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s]{2,}")
_TRUE = {"true", "1", "yes", "on", "да"}
MAX_TEXT = 300


@dataclass(frozen=True)
class Photo:
    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class Submission:
    phone: str
    """E.164."""
    channel: Channel = "site"
    code: str | None = None
    receipt_qr: str | None = None
    photo: Photo | None = None
    details: dict[str, str] = field(default_factory=dict)
    captcha_token: str | None = None


class FormErrors(Exception):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(", ".join(errors))
        self.errors = errors


def _text(raw: Mapping[str, object], *names: str) -> str | None:
    for name in names:
        value = raw.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
        if value is not None and not isinstance(value, str | bool):
            return None
    return None


def _flag(raw: Mapping[str, object], *names: str) -> bool:
    for name in names:
        value = raw.get(name)
        if value is True or (isinstance(value, str) and value.strip().lower() in _TRUE):
            return True
    return False


def parse_submission(  # noqa: PLR0912 - one branch per field reads best
    campaign: Campaign,
    raw: Mapping[str, object],
    photo: Photo | None = None,
    channel: Channel = "site",
) -> Submission:
    """A checked :class:`Submission`, or :class:`FormErrors` with every field's problem."""
    errors: dict[str, str] = {}
    mechanics = campaign.mechanics
    code = _text(raw, "code")
    receipt = _text(raw, "receipt", "receipt_qr")
    if mechanics.codes is not None and mechanics.receipts is None:
        if code is None:
            errors["code"] = "Введите код."
        elif len(code) > 64:
            errors["code"] = "Слишком длинный код."
    elif mechanics.receipts is not None:
        if receipt is None and photo is None:
            errors["receipt"] = "Введите данные QR-кода или приложите фото чека."
        elif receipt is not None and len(receipt) > MAX_TEXT:
            errors["receipt"] = "Слишком длинная строка: нужны данные QR-кода чека."
    else:
        errors["code"] = "В этой акции регистрация кодов и чеков не проводится."
    phone_text = _text(raw, "phone")
    phone = normalise_phone(phone_text) if phone_text and len(phone_text) <= 32 else None
    if phone_text is None:
        errors["phone"] = "Введите номер мобильного телефона."
    elif phone is None:
        errors["phone"] = "Нужен российский мобильный номер, например +7 900 123-45-67."
    if not _flag(raw, "consent", "personal_data_consent"):
        errors["consent"] = "Без согласия на обработку персональных данных участие невозможно."
    if campaign.audience.min_age and not _flag(raw, "age_confirmed"):
        errors["age_confirmed"] = f"Участвовать могут лица старше {campaign.audience.min_age} лет."
    details: dict[str, str] = {}
    for name in EXTRA_FIELDS:
        if name not in campaign.personal_data.fields:
            continue
        value = _text(raw, name)
        if value is None:
            errors[name] = "Заполните это поле."
        elif len(value) > MAX_TEXT:
            errors[name] = "Слишком длинное значение."
        elif name == "email" and not _EMAIL.fullmatch(value):
            errors[name] = "Нужен адрес электронной почты, например name@example.ru."
        elif name == "birth_date" and not _is_date(value):
            errors[name] = "Нужна дата в формате ГГГГ-ММ-ДД."
        else:
            details[name] = value
    if errors:
        raise FormErrors(errors)
    assert phone is not None  # noqa: S101 - errors holds "phone" otherwise
    token = _text(raw, "smart-token", "captcha_token")
    return Submission(phone, channel, code, receipt, photo, details, token)


def _is_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True
