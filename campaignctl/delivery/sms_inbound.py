"""``POST /api/v1/sms/inbound``: the SMS aggregator's webhook for messages to the short number.

The aggregator signs each request like the CRM webhook (HMAC-SHA256 over
``<timestamp>.<raw body>`` in ``X-Campaignctl-Signature``, Unix time in
``X-Campaignctl-Timestamp``, five minutes' tolerance) with the shared secret
(:func:`campaignctl.delivery.sms.webhook_secret`). A request that does not
check out gets 401 and leaves no trace. The body is JSON:
``{"id": "<aggregator's message id>", "from": "+79161234567", "text": "COLA 7KQ4-M2XD-9FHA"}``.

The code goes through the runtime's registration service, as a site
registration does; the reply is queued (with the registration when there is
one) and the worker sends it. A message the aggregator delivers twice (same
``id``) is answered once.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, replace

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from campaignctl.crm.signing import SignatureInvalid, verify
from campaignctl.delivery.sms import enqueue_sms, record_sms, reply_text, webhook_secret
from campaignctl.delivery.sms_parse import SmsParser
from campaignctl.delivery.tables import sms_messages
from campaignctl.runtime import messages
from campaignctl.runtime.context import RuntimeContext
from campaignctl.runtime.form import Submission
from campaignctl.runtime.phones import normalise_phone
from campaignctl.runtime.service import RegistrationService, Result

PATH = "/api/v1/sms/inbound"
MAX_TEXT = 1000


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict[str, object]


class SmsInbound:
    def __init__(self, ctx: RuntimeContext) -> None:
        # A phone cannot solve a captcha: the SMS channel registers without one.
        self.ctx = replace(ctx, captcha=None)
        self.service = RegistrationService(self.ctx)
        self.parser = SmsParser.for_campaign(ctx.campaign)
        self._secret: bytes | None = None

    def secret(self) -> bytes:
        if self._secret is None:
            self._secret = webhook_secret(self.ctx.campaign)
        return self._secret

    def handle(self, body: bytes, headers: dict[str, str]) -> Answer:
        try:
            verify(self.secret(), body, headers, int(time.time()))
        except SignatureInvalid as exc:
            return Answer(401, {"error": f"signature: {exc}"})
        try:
            data = json.loads(body)
        except ValueError:
            data = None
        if not isinstance(data, dict) or not isinstance(data.get("text"), str):
            return Answer(422, {"error": "expected JSON {id, from, text}"})
        phone = normalise_phone(str(data.get("from", "")))
        if phone is None:
            return Answer(422, {"error": "from is not a Russian mobile number"})
        text = data["text"][:MAX_TEXT]
        external = f"in:{data['id']}"[:100] if data.get("id") not in (None, "") else None
        if external is not None and self._seen(external):
            return Answer(200, {"status": "duplicate"})
        result = self._register(phone, text)
        campaign = self.ctx.campaign
        with self.ctx.engine.begin() as conn:
            fresh = record_sms(
                conn,
                campaign,
                self.ctx.sealer,
                direction="in",
                gateway="inbound",
                external_id=external,
                phone=phone,
                text=text,
                outcome=result.outcome,
                registration_id=result.registration_id,
            )
            if fresh and result.registration_id is None:
                # Nothing registered, so no hook queued a reply: queue it here.
                reply = reply_text(campaign, result.outcome, None, result.message)
                enqueue_sms(
                    conn,
                    campaign,
                    key=f"sms-reply:{campaign.slug}:{external or time.time_ns()}",
                    phone=phone,
                    text=reply,
                    outcome=result.outcome,
                )
        return Answer(
            200,
            {
                "status": "accepted",
                "outcome": result.outcome,
                "registration_id": result.registration_id,
            },
        )

    def _seen(self, external: str) -> bool:
        with self.ctx.engine.connect() as conn:
            found = conn.execute(
                select(sms_messages.c.id).where(sms_messages.c.external_id == external)
            ).first()
        return found is not None

    def _register(self, phone: str, text: str) -> Result:
        parsed = self.parser.parse(text)
        if parsed.code is None or self.ctx.campaign.mechanics.codes is None:
            return Result(422, "not_a_code", messages.NOT_A_CODE)
        return self.service.register(Submission(phone=phone, channel="sms", code=parsed.code))


def router(ctx: RuntimeContext) -> APIRouter:
    api = APIRouter()
    if ctx.campaign.channels.sms is None:
        return api
    inbound = SmsInbound(ctx)

    @api.post(
        PATH,
        summary="Inbound SMS from the aggregator (signed)",
        include_in_schema=True,
        responses={
            200: {"description": "Accepted (or a repeated delivery of the same message id)"},
            401: {"description": "Missing, stale or wrong signature: nothing stored"},
            422: {"description": "Not JSON {id, from, text}, or not a Russian mobile number"},
        },
    )
    async def sms_inbound(request: Request) -> Response:
        body = await request.body()
        answer = await run_in_threadpool(inbound.handle, body, dict(request.headers))
        return JSONResponse(answer.body, status_code=answer.status)

    return api
