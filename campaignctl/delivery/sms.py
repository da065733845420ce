"""SMS replies: which text answers an outcome, queueing it, sending and counting it.

The reply to an SMS registration is queued in the registration's own
transaction (hook ``AFTER_REGISTRATION``); replies to messages that registered
nothing (a mistyped code, a limit) are queued by the inbound webhook. The
worker sends each through the campaign's gateway and records it once, with its
segments and cost, in ``sms_messages``.
"""

from __future__ import annotations

import secrets
from contextlib import suppress
from datetime import UTC, datetime
from decimal import Decimal
from functools import cache

from sqlalchemy import Connection, Engine, select
from sqlalchemy.exc import IntegrityError

from campaignctl.crm.record import RegistrationRecord
from campaignctl.delivery.envelope import open_message, seal, sealer_for
from campaignctl.delivery.sms_gateway import SmsGateway, gateway_for
from campaignctl.delivery.tables import sms_messages
from campaignctl.model import Campaign
from campaignctl.queue import Handler, Message, enqueue
from campaignctl.registration import Outcome
from campaignctl.render.texts import sms_texts
from campaignctl.runtime.phones import mask_phone
from campaignctl.runtime.sealing import Sealer
from campaignctl.secrets import resolve_secret
from campaignctl.sms.segments import count
from campaignctl.state import state_dir, write_private

TOPIC_SEND = "sms.send"
SECRET_FILE = "sms-webhook.secret"  # noqa: S105 - a file name


@cache
def _texts(campaign: Campaign) -> dict[str, str]:
    return {t.id: t.text for t in sms_texts(campaign)}


def reply_text(campaign: Campaign, outcome: Outcome, prize: str | None, fallback: str) -> str:
    """The rendered SMS text for ``outcome`` (and prize); ``fallback`` when the campaign has none."""
    texts = _texts(campaign)
    if outcome == "instant_win" and prize is not None and f"instant_win:{prize}" in texts:
        return texts[f"instant_win:{prize}"]
    return texts.get(outcome, fallback)


def cost_kopecks(campaign: Campaign, segments: int) -> int:
    return int((campaign.budget.prices.sms_rub * 100 * segments).to_integral_value())


def enqueue_sms(
    conn: Connection,
    campaign: Campaign,
    *,
    key: str,
    phone: str,
    text: str,
    outcome: str | None = None,
    registration_id: str | None = None,
) -> None:
    """Queue one SMS in the caller's transaction."""
    data = {"phone": phone, "text": text, "outcome": outcome, "registration_id": registration_id}
    enqueue(conn, TOPIC_SEND, key, seal(sealer_for(campaign.folder), key, data))


def enqueue_reply(conn: Connection, campaign: Campaign, record: RegistrationRecord) -> None:
    """The registration hook: an SMS registration gets its reply with the registration."""
    if record.channel != "sms":
        return
    text = reply_text(campaign, record.outcome, record.prize, fallback="Код принят.")
    enqueue_sms(
        conn,
        campaign,
        key=f"sms-reply:{campaign.slug}:{record.id}",
        phone=record.phone,
        text=text,
        outcome=record.outcome,
        registration_id=record.id,
    )


def enqueue_login_code(conn: Connection, campaign: Campaign, phone: str, text: str) -> None:
    """The runtime's login-code hook: the one-time code goes out as an SMS."""
    enqueue_sms(conn, campaign, key=f"sms-login:{secrets.token_hex(12)}", phone=phone, text=text)


def webhook_secret(campaign: Campaign) -> bytes:
    """The inbound webhook's shared secret: the provider's ``secret_ref``, else a key the
    local target keeps in the state folder (created on first use, 0600)."""
    sms = campaign.channels.sms
    if sms is not None and sms.provider is not None and sms.provider.secret_ref:
        return resolve_secret(sms.provider.secret_ref, base=campaign.folder).encode("utf-8")
    path = state_dir(campaign.folder) / SECRET_FILE
    if not path.exists():
        with suppress(FileExistsError):  # another process made it first
            write_private(path, secrets.token_urlsafe(32).encode("ascii"))
    return path.read_bytes().strip()


def record_sms(
    conn: Connection,
    campaign: Campaign,
    sealer: Sealer,
    *,
    direction: str,
    gateway: str,
    external_id: str | None,
    phone: str,
    text: str,
    outcome: str | None,
    registration_id: str | None,
) -> bool:
    """One row in ``sms_messages``; False when ``external_id`` was recorded before."""
    segments = count(text)
    cost = cost_kopecks(campaign, segments.parts) if direction == "out" else 0
    try:
        with conn.begin_nested():
            conn.execute(
                sms_messages.insert().values(
                    direction=direction,
                    gateway=gateway,
                    external_id=external_id,
                    phone_sealed=sealer.seal(phone, context=b"sms"),
                    phone_masked=mask_phone(phone),
                    text=text,
                    encoding=segments.encoding,
                    segments=segments.parts,
                    cost_kopecks=cost,
                    outcome=outcome,
                    registration_id=registration_id,
                    created_at=datetime.now(UTC),
                )
            )
    except IntegrityError:
        return False
    return True


class SmsDelivery:
    """The worker's handler for ``sms.send``."""

    def __init__(
        self,
        campaign: Campaign,
        engine: Engine,
        *,
        sealer: Sealer | None = None,
        gateway: SmsGateway | None = None,
    ) -> None:
        self.campaign = campaign
        self.engine = engine
        self.sealer = sealer or sealer_for(campaign.folder)
        self._gateway = gateway

    def handlers(self) -> dict[str, Handler]:
        return {TOPIC_SEND: self.send}

    def gateway(self) -> SmsGateway:
        if self._gateway is None:
            self._gateway = gateway_for(self.campaign)
        return self._gateway

    def send(self, message: Message) -> None:
        if self._sent(message.key):
            # A repeat of a message already sent: a redelivered Message Queue batch or
            # the relay's resend after a crash. The participant gets one SMS.
            return
        data = open_message(self.sealer, message)
        gateway = self.gateway()
        gateway.send(data["phone"], data["text"], message.key)
        with self.engine.begin() as conn:
            record_sms(
                conn,
                self.campaign,
                self.sealer,
                direction="out",
                gateway=gateway.name,
                external_id=message.key,
                phone=data["phone"],
                text=data["text"],
                outcome=data.get("outcome"),
                registration_id=data.get("registration_id"),
            )

    def _sent(self, key: str) -> bool:
        c = sms_messages.c
        with self.engine.connect() as conn:
            found = conn.execute(
                select(c.id).where(c.external_id == key, c.direction == "out")
            ).first()
        return found is not None


def sms_totals(conn: Connection) -> tuple[int, int, Decimal]:
    """SMS sent, their segments and their cost in rubles."""
    from sqlalchemy import func, select  # noqa: PLC0415

    row = conn.execute(
        select(
            func.count(),
            func.coalesce(func.sum(sms_messages.c.segments), 0),
            func.coalesce(func.sum(sms_messages.c.cost_kopecks), 0),
        ).where(sms_messages.c.direction == "out")
    ).one()
    return int(row[0]), int(row[1]), Decimal(int(row[2])) / 100
