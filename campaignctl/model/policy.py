"""Rules, personal data, anti-fraud limits and the budget settings."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

PdField = Literal[
    "phone",
    "name",
    "email",
    "birth_date",
    "city",
    "address",
    "passport",
    "inn",
    "snils",
    "bank_details",
]


@dataclass(frozen=True)
class Claim:
    place: str
    procedure: str
    deadline: str


@dataclass(frozen=True)
class Rules:
    url: str
    claim: Claim
    extra_terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class PersonalData:
    fields: tuple[PdField, ...]
    purpose: str
    retention_days: int
    consent_document: str
    winner_fields: tuple[PdField, ...] = ()
    storage_country: str = "RU"


@dataclass(frozen=True)
class Captcha:
    provider: Literal["none", "yandex_smartcaptcha"]
    site_key: str | None = None
    secret_ref: str | None = None


@dataclass(frozen=True)
class AntiFraud:
    max_attempts_per_phone_per_day: int = 20
    max_attempts_per_ip_per_hour: int = 60
    max_failed_per_ip_per_day: int = 20
    lockout_minutes: int = 60
    captcha: Captcha | None = None


@dataclass(frozen=True)
class Prices:
    """The default price table (the iActions price list, docs/budget.md), overridable per campaign."""

    sms_rub: Decimal = Decimal("2.8")
    call_minute_rub: Decimal = Decimal(11)
    pd_processing_per_winner_rub: Decimal = Decimal(550)
    prize_purchase_fee_percent: Decimal = Decimal(10)
    delivery_fee_percent: Decimal = Decimal(10)
    delivery_cost_rub: Decimal = Decimal(500)
    payout_fee_percent: Decimal = Decimal(10)


@dataclass(frozen=True)
class Scenario:
    expected_participants: int | None = None
    registrations_per_participant: float = 1
    sms_share: float = 0
    hotline_call_share: float = 0.02


@dataclass(frozen=True)
class Budget:
    cap_rub: Decimal | None = None
    prices: Prices = Prices()
    scenario: Scenario = Scenario()
