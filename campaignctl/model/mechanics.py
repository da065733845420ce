"""How people take part: codes, receipts, loyalty selection, dated tiers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date as date_type
from decimal import Decimal
from typing import Literal

from campaignctl.model.period import DateRange

ChannelName = Literal["site", "sms", "chatbot", "hotline"]
Fulfilment = Literal["next_purchase", "delivery"]


@dataclass(frozen=True)
class CodeMechanic:
    channels: tuple[ChannelName, ...]
    draw_entries_per_code: int = 1
    points_per_code: int = 0
    max_codes_per_day: int = 10


@dataclass(frozen=True)
class Store:
    name: str
    inn: str | None = None


@dataclass(frozen=True)
class ReceiptMechanic:
    channels: tuple[ChannelName, ...]
    min_total_rub: Decimal
    eligible_stores: tuple[Store, ...] = ()
    products: tuple[str, ...] = ()
    photo_upload: bool = True
    draw_entries_per_receipt: int = 1
    max_receipts_per_day: int = 5


@dataclass(frozen=True)
class PurchasesExport:
    member_id: str = "member_id"
    purchased_at: str = "purchased_at"
    amount_rub: str = "amount_rub"
    store: str = "store"
    phone: str = "phone"


@dataclass(frozen=True)
class LoyaltyCriteria:
    min_purchases: int
    window: DateRange
    min_purchase_rub: Decimal | None = None


@dataclass(frozen=True)
class LoyaltyMechanic:
    program: str
    criteria: LoyaltyCriteria
    reward_prize: str
    fulfilment: tuple[Fulfilment, ...]
    purchases_export: PurchasesExport = PurchasesExport()
    voucher_valid_days: int = 30


@dataclass(frozen=True)
class DatedTier:
    name: str
    start: date_type
    end: date_type
    discount_percent: float | None = None
    price_rub: Decimal | None = None
    draw_entries_multiplier: int = 1


@dataclass(frozen=True)
class Mechanics:
    codes: CodeMechanic | None = None
    receipts: ReceiptMechanic | None = None
    loyalty: LoyaltyMechanic | None = None
    dated_tiers: tuple[DatedTier, ...] = ()

    @property
    def channels(self) -> frozenset[ChannelName]:
        found: set[ChannelName] = set()
        for mechanic in (self.codes, self.receipts):
            if mechanic is not None:
                found.update(mechanic.channels)
        return frozenset(found)
