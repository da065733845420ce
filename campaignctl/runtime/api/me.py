"""A participant's own registrations, behind a one-time code sent by SMS.

``POST /api/v1/me/code`` with a phone stores a 6-digit code (hashed, 10 minutes,
5 tries) and hands the SMS text to the :data:`~campaignctl.runtime.hooks.LOGIN_CODE`
senders (the delivery part's SMS gateway) and to the local message record. The
answer is the same whether or not the phone took part, so it reveals nobody.
``GET /api/v1/me`` with ``X-Phone`` and ``X-Login-Code`` headers returns the list.
"""

from __future__ import annotations

import hmac
from datetime import UTC, timedelta
from typing import Any

from fastapi import APIRouter, Header, Request
from fastapi.responses import JSONResponse
from sqlalchemy import delete, insert, select, update

from campaignctl.runtime import hooks
from campaignctl.runtime.antifraud import utc
from campaignctl.runtime.api.schemas import LoginCodeIn, Me, Message
from campaignctl.runtime.context import RuntimeContext
from campaignctl.runtime.phones import mask_phone, normalise_phone
from campaignctl.runtime.service import new_login_code
from campaignctl.store.runtime_tables import (
    login_codes,
    participants,
    registrations,
    runtime_messages,
)

MAX_TRIES = 5
SENT = "Если этот номер участвует в акции, на него придет SMS с кодом входа."
DENIED = "Неверный или устаревший код входа. Запросите новый."


def router(ctx: RuntimeContext) -> APIRouter:
    api = APIRouter()

    @api.post(
        "/api/v1/me/code",
        status_code=202,
        response_model=Message,
        responses={422: {"description": "Invalid phone"}},
        summary="Send a one-time login code by SMS",
    )
    def send_code(body: LoginCodeIn) -> Any:
        phone = normalise_phone(body.phone)
        if phone is None:
            return JSONResponse(
                {
                    "message": "Неверный номер",
                    "errors": {"phone": "Нужен российский мобильный номер."},
                },
                status_code=422,
            )
        issue_login_code(ctx, phone)
        return {"message": SENT}

    @api.get(
        "/api/v1/me",
        response_model=Me,
        responses={401: {"model": Message}},
        summary="The participant's own registrations",
    )
    def me(
        request: Request,
        x_phone: str = Header(max_length=32),
        x_login_code: str = Header(max_length=12),
    ) -> Any:
        phone = normalise_phone(x_phone)
        if phone is None or not check_login_code(ctx, phone, x_login_code):
            return JSONResponse({"message": DENIED}, status_code=401)
        return my_registrations(ctx, phone)

    return api


def _code_hash(ctx: RuntimeContext, phone: str, code: str) -> bytes:
    return ctx.sealer.digest(f"{phone}:{code}", label="login")


def issue_login_code(ctx: RuntimeContext, phone: str) -> str | None:
    """Store a fresh code for a participant's phone and queue its SMS; None if not a participant."""
    digest = ctx.sealer.digest(phone)
    now = ctx.clock().astimezone(UTC)
    code = new_login_code()
    text = f"Код входа в личный кабинет акции: {code}. Никому его не сообщайте."
    with ctx.engine.begin() as conn:
        known = conn.execute(select(participants.c.id).where(participants.c.phone_hash == digest))
        if known.first() is None:
            return None
        conn.execute(delete(login_codes).where(login_codes.c.phone_hash == digest))
        conn.execute(
            insert(login_codes).values(
                phone_hash=digest,
                code_hash=_code_hash(ctx, phone, code),
                expires_at=now + timedelta(seconds=ctx.settings.login_code_ttl_seconds),
                attempts=0,
            )
        )
        conn.execute(
            insert(runtime_messages).values(
                kind="login_code",
                phone_sealed=ctx.sealer.seal(phone),
                text_sealed=ctx.sealer.seal(text),
                created_at=now,
            )
        )
        for send in hooks.LOGIN_CODE:
            send(conn, ctx.campaign, phone, text)
    return code


def check_login_code(ctx: RuntimeContext, phone: str, code: str) -> bool:
    digest = ctx.sealer.digest(phone)
    now = ctx.clock().astimezone(UTC)
    with ctx.engine.begin() as conn:
        row = conn.execute(select(login_codes).where(login_codes.c.phone_hash == digest)).first()
        if row is None or utc(row.expires_at) < now or row.attempts >= MAX_TRIES:
            return False
        if hmac.compare_digest(bytes(row.code_hash), _code_hash(ctx, phone, code.strip())):
            return True
        conn.execute(
            update(login_codes)
            .where(login_codes.c.phone_hash == digest)
            .values(attempts=login_codes.c.attempts + 1)
        )
    return False


def my_registrations(ctx: RuntimeContext, phone: str) -> dict[str, Any]:
    names = {p.id: p.name for p in ctx.campaign.prizes}
    with ctx.engine.connect() as conn:
        rows = conn.execute(
            select(registrations)
            .join(participants, participants.c.id == registrations.c.participant_id)
            .where(participants.c.phone_hash == ctx.sealer.digest(phone))
            .order_by(registrations.c.created_at)
        ).all()
    items = [
        {
            "registered_at": utc(r.created_at).astimezone(ctx.zone).isoformat(),
            "channel": r.channel,
            "outcome": r.outcome,
            "prize": names.get(r.prize_id) if r.prize_id else None,
            "draw_entries": r.draw_entries,
            "points": r.points,
        }
        for r in rows
    ]
    return {
        "phone": mask_phone(phone),
        "points": sum(i["points"] for i in items),
        "registrations": items,
    }
