"""What the rules, POS and SMS templates see: the campaign plus values derived from it.

Derived values (the prize fund, the NDFL cash parts, the channel list) are
computed here once, in Python, so every template and every test uses the same
figures: the rules can never show a cash part the budget did not compute.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from campaignctl.model import Campaign
from campaignctl.model.prizes import NDFL_EXEMPTION_RUB, NDFL_PRIZE_RATE, Draw, Prize

# How Russian rules name the time of a zone («по московскому времени»).
_ZONE_NAMES = {
    "Europe/Kaliningrad": "калининградскому",
    "Europe/Moscow": "московскому",
    "Europe/Samara": "самарскому",
    "Asia/Yekaterinburg": "екатеринбургскому",
    "Asia/Omsk": "омскому",
    "Asia/Novosibirsk": "новосибирскому",
    "Asia/Krasnoyarsk": "красноярскому",
    "Asia/Irkutsk": "иркутскому",
    "Asia/Yakutsk": "якутскому",
    "Asia/Vladivostok": "владивостокскому",
    "Asia/Magadan": "магаданскому",
    "Asia/Kamchatka": "камчатскому",
}

PD_FIELD_NAMES = {
    "phone": "номер мобильного телефона",
    "name": "имя",
    "email": "адрес электронной почты",
    "birth_date": "дата рождения",
    "city": "город проживания",
    "address": "адрес доставки или регистрации",
    "passport": "данные паспорта гражданина РФ",
    "inn": "ИНН",
    "snils": "СНИЛС",
    "bank_details": "банковские реквизиты",
}


class Numbering:
    """Clause numbers for a legal text whose sections depend on the campaign (1., 1.1., 1.2.)."""

    def __init__(self) -> None:
        self._section = 0
        self._clause = 0

    def section(self) -> str:
        self._section += 1
        self._clause = 0
        return f"{self._section}."

    def clause(self) -> str:
        self._clause += 1
        return f"{self._section}.{self._clause}."


@dataclass(frozen=True)
class TaxRow:
    """NDFL on one taxable prize, with the cash part added so the tax can be withheld."""

    prize: Prize
    cash_part_rub: Decimal
    taxable_base_rub: Decimal
    ndfl_rub: Decimal


@dataclass(frozen=True)
class DrawRow:
    draw: Draw
    prizes: tuple[tuple[Prize, int], ...]


def quote(name: str) -> str:
    """«name» with quotes inside turned into „…“, as Russian typography nests them."""
    inner = name.replace("«", "„").replace("»", "“")
    return f"«{inner}»"


_LEGAL_FORMS = {
    "Общество с ограниченной ответственностью": "ООО",
    "Публичное акционерное общество": "ПАО",
    "Непубличное акционерное общество": "АО",
    "Акционерное общество": "АО",
    "Индивидуальный предприниматель": "ИП",
}


def short_name(legal_name: str) -> str:
    """«ООО „Бриз Напитки“» style: the legal form abbreviated, as packaging prints it."""
    for full, short in _LEGAL_FORMS.items():
        if legal_name.startswith(full):
            return short + legal_name[len(full) :]
    return legal_name


def zone_label(zone: str, at: datetime) -> str:
    """«московскому времени (UTC+3)» for Europe/Moscow."""
    offset = ZoneInfo(zone).utcoffset(at)
    hours = int(offset.total_seconds() // 3600) if offset is not None else 0
    name = _ZONE_NAMES.get(zone)
    utc = f"UTC{hours:+d}"
    return f"{name} времени ({utc})" if name else f"времени часового пояса {zone} ({utc})"


def tax_rows(campaign: Campaign) -> tuple[TaxRow, ...]:
    rows = []
    for prize in campaign.prizes:
        if not prize.taxable:
            continue
        cash = prize.cash_part_rub
        base = prize.value_rub + cash - NDFL_EXEMPTION_RUB
        ndfl = (base * NDFL_PRIZE_RATE).quantize(Decimal("1"), rounding="ROUND_HALF_UP")
        rows.append(TaxRow(prize, cash, base, ndfl))
    return tuple(rows)


def draw_rows(campaign: Campaign) -> tuple[DrawRow, ...]:
    rows = []
    for draw in campaign.draws:
        found = []
        for dp in draw.prizes:
            prize = campaign.prize(dp.prize)
            if prize is not None:
                found.append((prize, dp.quantity))
        rows.append(DrawRow(draw, tuple(found)))
    return tuple(rows)


def site_url(campaign: Campaign) -> str:
    site = campaign.channels.site
    if site.base_url:
        return site.base_url
    if site.domain:
        return f"https://{site.domain}"
    return campaign.rules.url.rsplit("/", 1)[0]


def bare_url(url: str) -> str:
    """``https://briz-promo.ru/rules`` -> ``briz-promo.ru/rules`` (how print shows addresses)."""
    return url.split("://", 1)[-1].rstrip("/")


def registration_ways(campaign: Campaign) -> tuple[str, ...]:
    """Where a participant registers, in the words of the rules («на сайте …»)."""
    ch = campaign.channels
    ways = []
    for name in sorted(
        campaign.mechanics.channels, key=("site", "sms", "chatbot", "hotline").index
    ):
        if name == "site":
            ways.append(f"на сайте {bare_url(site_url(campaign))}")
        elif name == "sms" and ch.sms is not None:
            keyword = f" с ключевым словом {ch.sms.keyword}" if ch.sms.keyword else ""
            ways.append(f"в SMS на короткий номер {ch.sms.short_number}{keyword}")
        elif name == "chatbot" and ch.chatbot is not None:
            platform = {"telegram": "Telegram", "vk": "ВКонтакте", "max": "MAX"}
            ways.append(f"в чат-боте @{ch.chatbot.handle} в {platform[ch.chatbot.platform]}")
        elif name == "hotline" and ch.hotline is not None:
            ways.append(f"по телефону горячей линии {ch.hotline.number}")
    return tuple(ways)


def either(items: tuple[str, ...]) -> str:
    """``a, b или c``."""
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} или {items[-1]}"


def published_at(campaign: Campaign) -> datetime:
    """The fixed date stamped into PDF/DOCX metadata: the campaign's start, local midnight.

    Never now(): a re-render must be byte-identical.
    """
    return datetime.combine(campaign.period.start, time(0, 0), ZoneInfo(campaign.period.timezone))


def base_context(campaign: Campaign) -> dict[str, object]:
    """Names every template group may use."""
    prizes = campaign.prizes
    return {
        "c": campaign,
        "org": campaign.organizer,
        "op": campaign.operator,
        "period": campaign.period,
        "prizes": prizes,
        "prize_count": sum(p.quantity for p in prizes),
        "fund_rub": sum((p.fund_rub for p in prizes), Decimal(0)),
        "tax_rows": tax_rows(campaign),
        "draw_rows": draw_rows(campaign),
        "zone": zone_label(campaign.period.timezone, published_at(campaign)),
        "site_url": site_url(campaign),
        "site": bare_url(site_url(campaign)),
        "rules_url": campaign.rules.url,
        "rules_site": bare_url(campaign.rules.url),
        "ways": registration_ways(campaign),
        "ways_text": either(registration_ways(campaign)),
        "pd_names": PD_FIELD_NAMES,
        "exemption_rub": NDFL_EXEMPTION_RUB,
        "ndfl_rate_percent": int(NDFL_PRIZE_RATE * 100),
        "num": Numbering(),
        "quote": quote,
        "short_name": short_name,
    }
