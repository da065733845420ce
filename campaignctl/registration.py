"""What can happen to one registration: the outcomes shared by SMS replies, CRM and runtime.

The runtime decides an outcome; the SMS and hotline texts answer it and the CRM
sync worker records it. Keeping the list in one place means a new outcome
cannot get a reply without a CRM label, or the other way round.
"""

from __future__ import annotations

from typing import Literal, get_args

Outcome = Literal[
    "instant_win",
    "draw_entry",
    "receipt_accepted",
    "receipt_pending",
    "receipt_rejected",
    "selected",
    "not_a_code",
    "already_registered",
    "limit_reached",
    "outside_period",
    "blocked",
]
OUTCOMES: tuple[Outcome, ...] = get_args(Outcome)

Channel = Literal["site", "sms", "chatbot", "hotline", "loyalty"]
"""Where a registration came from; ``loyalty`` marks members picked from a purchases export."""

OUTCOME_LABELS: dict[Outcome, str] = {
    "instant_win": "Код принят, мгновенный приз",
    "draw_entry": "Код принят, участие в розыгрыше",
    "receipt_accepted": "Чек принят",
    "receipt_pending": "Чек на проверке",
    "receipt_rejected": "Чек отклонен",
    "selected": "Выполнил условия, положен подарок",
    "not_a_code": "Неверный код",
    "already_registered": "Код или чек уже зарегистрирован",
    "limit_reached": "Превышен лимит регистраций",
    "outside_period": "Вне срока акции",
    "blocked": "Временная блокировка",
}

CHANNEL_LABELS: dict[Channel, str] = {
    "site": "сайт",
    "sms": "SMS",
    "chatbot": "чат-бот",
    "hotline": "горячая линия",
    "loyalty": "программа лояльности",
}
