"""Where participants reach the campaign, and where registrations go."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Branding:
    primary_color: str = "#d62828"
    accent_color: str = "#f7b801"
    logo: str | None = None
    hero_image: str | None = None
    font: str | None = None


@dataclass(frozen=True)
class FaqItem:
    question: str
    answer: str


@dataclass(frozen=True)
class Site:
    domain: str | None = None
    base_url: str | None = None
    branding: Branding = Branding()
    faq: tuple[FaqItem, ...] = ()


@dataclass(frozen=True)
class SmsProvider:
    kind: Literal["local", "http"]
    name: str | None = None
    url: str | None = None
    secret_ref: str | None = None


@dataclass(frozen=True)
class Sms:
    short_number: str
    keyword: str | None = None
    provider: SmsProvider | None = None


@dataclass(frozen=True)
class Chatbot:
    platform: Literal["telegram", "vk", "max"]
    handle: str


@dataclass(frozen=True)
class IvrOption:
    key: str
    label: str
    action: Literal["rules", "status", "faq", "operator", "repeat"]
    text: str | None = None


@dataclass(frozen=True)
class Ivr:
    greeting: str
    options: tuple[IvrOption, ...]


@dataclass(frozen=True)
class Hotline:
    number: str
    hours: str | None = None
    minutes_per_call: float = 3
    ivr: Ivr | None = None


@dataclass(frozen=True)
class Channels:
    site: Site = Site()
    sms: Sms | None = None
    chatbot: Chatbot | None = None
    hotline: Hotline | None = None


CrmField = Literal[
    "phone",
    "name",
    "email",
    "birth_date",
    "city",
    "code",
    "receipt",
    "channel",
    "outcome",
    "prize",
    "registered_at",
    "campaign",
]


@dataclass(frozen=True)
class CrmMapping:
    field: CrmField
    target: str | int


@dataclass(frozen=True)
class Crm:
    target: Literal["none", "webhook", "bitrix24", "amocrm", "csv"]
    url: str | None = None
    secret_ref: str | None = None
    entity: Literal["lead", "contact"] = "lead"
    pipeline_id: int | None = None
    rate_limit_per_second: float = 5
    mapping: tuple[CrmMapping, ...] = ()
