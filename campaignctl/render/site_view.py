"""What the promo-site templates see: the campaign model plus derived facts.

Decisions live here (which form fields the mechanics need, how a code looks,
when draws happen); the words live in the templates, so a campaign's
override can reword any page without touching Python.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Literal
from zoneinfo import ZoneInfo

from campaignctl.model import Campaign
from campaignctl.model.prizes import Award, Draw, Prize
from campaignctl.render.assets import Asset

Mechanic = Literal["codes", "receipts", "loyalty"]

# Order of prize groups on the landing page: what a participant can win at
# once comes first, the draws' big prizes after.
AWARD_ORDER: tuple[Award, ...] = ("instant_win", "guaranteed", "loyalty", "points_exchange", "draw")

# Participant data a registration form may ask for. Winner-only data (passport,
# INN, bank details) is collected later from winners only (152-FZ art. 5 p. 5:
# no more data than the purpose needs).
FORM_PD_FIELDS = ("name", "email", "birth_date", "city")

CHATBOT_LINKS = {
    "telegram": "https://t.me/{handle}",
    "vk": "https://vk.me/{handle}",
    "max": "https://max.ru/{handle}",
}


@dataclass(frozen=True)
class PrizeView:
    prize: Prize
    image: Asset | None


@dataclass(frozen=True)
class PrizeGroup:
    award: Award
    prizes: tuple[PrizeView, ...]

    @property
    def quantity(self) -> int:
        return sum(p.prize.quantity for p in self.prizes)


@dataclass(frozen=True)
class DrawPrizeView:
    name: str
    quantity: int


@dataclass(frozen=True)
class DrawView:
    id: str
    number: int
    name: str | None
    at: datetime
    """In the campaign's time zone."""
    utc_offset: str
    """``UTC+3``: draw times are shown with their offset, never ambiguous."""
    entries_start: date
    entries_end: date
    prizes: tuple[DrawPrizeView, ...]


@dataclass(frozen=True)
class CodeFormat:
    characters: int
    """Characters a participant types, separators not counted."""
    mask: str
    """``XXXX-XXXX-XXXX``: the printed shape."""
    kind: Literal["digits", "letters", "mixed"]
    max_length: int
    """Input limit: the printed shape plus room for stray spaces."""


@dataclass(frozen=True)
class FormView:
    mechanic: Mechanic
    fields: tuple[str, ...]
    """Form fields in order; the template has one block per name."""
    action: str
    multipart: bool
    code: CodeFormat | None
    min_age: int
    receipt_min_total: Decimal | None

    def has(self, field: str) -> bool:
        return field in self.fields


@dataclass(frozen=True)
class Contacts:
    hotline_href: str | None
    chatbot_href: str | None


def primary_mechanic(campaign: Campaign) -> Mechanic:
    m = campaign.mechanics
    if m.codes is not None:
        return "codes"
    if m.receipts is not None:
        return "receipts"
    return "loyalty"


def prize_groups(campaign: Campaign, images: dict[str, Asset]) -> tuple[PrizeGroup, ...]:
    groups = []
    for award in AWARD_ORDER:
        prizes = tuple(PrizeView(p, images.get(p.id)) for p in campaign.prizes if p.award == award)
        if prizes:
            groups.append(PrizeGroup(award, prizes))
    return tuple(groups)


def _utc_offset(moment: datetime) -> str:
    offset = moment.utcoffset()
    if offset is None:
        return "UTC"
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def draw_views(campaign: Campaign) -> tuple[DrawView, ...]:
    zone = ZoneInfo(campaign.period.timezone)
    views = []
    ordered: Sequence[Draw] = sorted(campaign.draws, key=lambda d: (d.at, d.id))
    for number, draw in enumerate(ordered, start=1):
        at = draw.at.astimezone(zone) if draw.at.tzinfo else draw.at.replace(tzinfo=zone)
        prizes = tuple(
            DrawPrizeView(prize.name if (prize := campaign.prize(p.prize)) else p.prize, p.quantity)
            for p in draw.prizes
        )
        views.append(
            DrawView(
                id=draw.id,
                number=number,
                name=draw.name,
                at=at,
                utc_offset=_utc_offset(at),
                entries_start=draw.entries.start,
                entries_end=draw.entries.end,
                prizes=prizes,
            )
        )
    return tuple(views)


def code_format(campaign: Campaign) -> CodeFormat | None:
    spec = campaign.codes
    if spec is None:
        return None
    characters = spec.length + (1 if spec.check_character else 0)
    plain = "X" * characters
    if spec.group_size:
        size = spec.group_size
        mask = "-".join(plain[i : i + size] for i in range(0, characters, size))
    else:
        mask = plain
    letters = any(ch.isalpha() for ch in spec.alphabet)
    digits = any(ch.isdigit() for ch in spec.alphabet)
    kind: Literal["digits", "letters", "mixed"] = (
        "mixed" if letters and digits else "letters" if letters else "digits"
    )
    return CodeFormat(characters, mask, kind, max_length=len(mask) + 8)


def form_view(campaign: Campaign, api_base: str) -> FormView | None:
    """The registration form the mechanics need; None when there is nothing to send.

    Loyalty selection needs no registration: members qualify by their
    purchases. Its form exists only when a gift can be delivered, to take the
    delivery address.
    """
    m = campaign.mechanics
    fields: list[str] = []
    multipart = False
    if m.codes is not None and "site" in m.codes.channels:
        fields.append("code")
    if m.receipts is not None and "site" in m.receipts.channels:
        fields.append("receipt")
        if m.receipts.photo_upload:
            fields.append("receipt_photo")
            multipart = True
    delivery = m.loyalty is not None and "delivery" in m.loyalty.fulfilment
    if not fields and not delivery:
        return None
    fields.append("phone")
    fields += [f for f in FORM_PD_FIELDS if f in campaign.personal_data.fields]
    if delivery:
        fields.append("address")
    return FormView(
        mechanic=primary_mechanic(campaign),
        fields=tuple(fields),
        action=f"{api_base}/api/v1/registrations",
        multipart=multipart,
        code=code_format(campaign) if "code" in fields else None,
        min_age=campaign.audience.min_age,
        receipt_min_total=m.receipts.min_total_rub if m.receipts is not None else None,
    )


def tel_href(number: str) -> str:
    """``8-800-350-27-27`` -> ``tel:88003502727``; ``+7 495 …`` keeps its plus."""
    digits = re.sub(r"[^\d+]", "", number)
    return f"tel:{digits}"


def contacts(campaign: Campaign) -> Contacts:
    channels = campaign.channels
    hotline = tel_href(channels.hotline.number) if channels.hotline is not None else None
    chatbot = None
    if channels.chatbot is not None:
        handle = channels.chatbot.handle.lstrip("@")
        chatbot = CHATBOT_LINKS[channels.chatbot.platform].format(handle=handle)
    return Contacts(hotline_href=hotline, chatbot_href=chatbot)


def origin(url: str) -> str | None:
    """``https://api.example.ru/v1`` -> ``https://api.example.ru``; None when relative."""
    match = re.match(r"^(https?://[^/?#]+)", url)
    return match.group(1) if match else None


def content_security_policy(api_base: str) -> str:
    """Everything from the site's own origin; the API's origin too when it is elsewhere.

    ``frame-ancestors`` is left to the ``_headers`` file: browsers ignore it (and
    log an error) in a ``<meta>`` policy.
    """
    api = origin(api_base)
    extra = f" {api}" if api else ""
    return (
        "default-src 'self'; img-src 'self' data:; "
        f"connect-src 'self'{extra}; form-action 'self'{extra}; "
        "base-uri 'none'; object-src 'none'"
    )
