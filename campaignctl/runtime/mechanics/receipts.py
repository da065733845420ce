"""Fiscal receipts: the QR string on every Russian cash receipt (54-FZ), parsed and checked.

``t=20201225T1016&s=1113.99&fn=9960440300123456&i=12345&fp=1234567890&n=1``:
t is the local date-time of the purchase (YYYYMMDDTHHMM[SS]), s the total in
rubles, fn the fiscal drive number, i the fiscal document number, fp the fiscal
sign, n the operation type (1 = purchase; 2, 3, 4 are refunds and expenses).
fn + i + fp identify a receipt uniquely.

The QR string holds no store name or INN, so ``eligible_stores`` cannot be
checked from it; a receipt with a photo goes to moderation, where a person
checks the store on the photo.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from urllib.parse import parse_qs
from zoneinfo import ZoneInfo

from campaignctl.crm.record import ReceiptIds
from campaignctl.model.mechanics import ReceiptMechanic
from campaignctl.model.period import DateRange

_T = re.compile(r"(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})?")
_DIGITS = re.compile(r"\d{1,20}")


@dataclass(frozen=True)
class Receipt:
    purchased_at: datetime
    total: Decimal
    ids: ReceiptIds
    operation: int

    @property
    def key(self) -> str:
        """The dedupe key: one receipt registers once."""
        return f"{self.ids.fn}:{self.ids.i}:{self.ids.fp}"

    @property
    def total_kopecks(self) -> int:
        return int(self.total * 100)


class ReceiptProblem(ValueError):
    """Why a receipt is refused; the message is shown to the participant (Russian)."""


def parse_qr(text: str, zone: ZoneInfo) -> Receipt:
    """Parse a receipt QR string; :class:`ReceiptProblem` with a Russian message if it is not one."""
    fields = parse_qs(text.strip(), keep_blank_values=True, max_num_fields=20)
    values = {k: v[0].strip() for k, v in fields.items() if v}
    missing = [name for name in ("t", "s", "fn", "i", "fp", "n") if not values.get(name)]
    if missing:
        raise ReceiptProblem(
            "Это не данные QR-кода чека: нужна строка вида t=…&s=…&fn=…&i=…&fp=…&n=1."
        )
    match = _T.fullmatch(values["t"])
    try:
        if match is None:
            raise ValueError
        y, mo, d, h, mi, s = (int(g) if g else 0 for g in match.groups())
        purchased = datetime(y, mo, d, h, mi, s, tzinfo=zone)
        total = Decimal(values["s"])
        operation = int(values["n"])
    except (ValueError, InvalidOperation):
        raise ReceiptProblem("В данных QR-кода неверная дата, сумма или тип операции.") from None
    if not total.is_finite() or total <= 0 or total != total.quantize(Decimal("0.01")):
        raise ReceiptProblem("В данных QR-кода неверная сумма.")
    for name in ("fn", "i", "fp"):
        if not _DIGITS.fullmatch(values[name]):
            raise ReceiptProblem("В данных QR-кода неверные фискальные реквизиты (fn, i, fp).")
    ids = ReceiptIds(fn=values["fn"], i=values["i"], fp=values["fp"])
    return Receipt(purchased, total, ids, operation)


def check(receipt: Receipt, rules: ReceiptMechanic, purchase: DateRange) -> None:
    """The campaign's conditions: a purchase, within the purchase period, at least the minimum total."""
    if receipt.operation != 1:
        raise ReceiptProblem("Принимаются только чеки покупки (приход), не возврата.")
    if receipt.purchased_at.date() not in purchase:
        raise ReceiptProblem("Покупка совершена вне срока акции.")
    if receipt.total < rules.min_total_rub:
        raise ReceiptProblem(
            f"Сумма чека меньше минимальной: нужно от {rules.min_total_rub:f} ₽.".replace(
                ".00 ₽", " ₽"
            )
        )
