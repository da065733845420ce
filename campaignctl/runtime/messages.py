"""What the participant reads after a registration (Russian), one text per outcome."""

from __future__ import annotations

from campaignctl.model.campaign import Campaign
from campaignctl.model.prizes import Prize

NOT_A_CODE = (
    "Код не найден. Проверьте, правильно ли он введен: в кодах нет букв O и I и цифр 0 и 1."
)
ALREADY_CODE = "Этот код уже зарегистрирован."
ALREADY_RECEIPT = "Этот чек уже зарегистрирован."
LIMITED = "Слишком много попыток. Попробуйте позже."
BLOCKED = "Слишком много неверных попыток. Регистрация временно недоступна, попробуйте позже."
CODES_PER_DAY = "Вы достигли лимита регистраций на сегодня. Попробуйте завтра."
OUTSIDE = "Регистрация в акции сейчас не проводится: {dates}."
CAPTCHA = "Подтвердите, что вы не робот."


def won(prize: Prize) -> str:
    return f"Код принят! Вы выиграли: {prize.name}. Мы пришлем SMS с условиями получения приза."


def entered(entries: int, points: int) -> str:
    parts = ["Код принят!"]
    if entries:
        parts.append(
            "Вы участвуете в розыгрыше призов."
            if entries == 1
            else f"У вас {entries} участия в розыгрыше призов."
        )
    if points:
        parts.append(f"Начислено баллов: {points}.")
    return " ".join(parts)


def receipt(pending: bool) -> str:
    if pending:
        return "Чек получен и отправлен на проверку. Результат придет в SMS."
    return "Чек принят! Вы участвуете в розыгрыше призов."


def outside(campaign: Campaign) -> str:
    r = campaign.period.registration
    return OUTSIDE.format(dates=f"прием с {r.start:%d.%m.%Y} по {r.end:%d.%m.%Y}")
