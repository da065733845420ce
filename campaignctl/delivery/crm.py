"""CRM sync: registrations and winner updates into the outbox, and out of it to the CRM.

The runtime calls :func:`enqueue_registration` inside each registration's
transaction (hook ``AFTER_REGISTRATION``); the draws part calls
:func:`enqueue_winner_update` inside the transaction that records a winner.
:class:`CrmDelivery` gives the worker one handler per topic. The request body
is built when the message is enqueued, from the mapping in :mod:`campaignctl.crm`,
so what is sent is what ``crm/mapping.md`` documents for that moment.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, select
from sqlalchemy.exc import IntegrityError

from campaignctl.crm.payload import CrmRequest, build_payload
from campaignctl.crm.record import RegistrationRecord
from campaignctl.delivery.crm_targets import AmoCrm, Bitrix24, Target, Webhook, WinnerUpdate
from campaignctl.delivery.csv_export import spool_row
from campaignctl.delivery.envelope import campaign_sealer, open_message, seal, sealer_for
from campaignctl.delivery.ratelimit import RateLimiter
from campaignctl.delivery.tables import crm_records
from campaignctl.model import Campaign
from campaignctl.queue import DeliveryFailed, Handler, Message, enqueue
from campaignctl.queue.outbox import insert_message, message_row
from campaignctl.runtime.hooks import PreparedHook, Write
from campaignctl.runtime.sealing import Sealer
from campaignctl.secrets import SecretUnavailable, resolve_secret

TOPIC_REGISTRATION = "crm.registration"
TOPIC_WINNER = "crm.winner"
URL_ENV = "CAMPAIGNCTL_CRM_URL"
"""Overrides ``crm.url`` on this machine: a staging endpoint, or a local test receiver."""


def crm_enabled(campaign: Campaign) -> bool:
    return campaign.crm is not None and campaign.crm.target != "none"


def registration_message(campaign: Campaign, record: RegistrationRecord) -> Write | None:
    """The CRM message of ``record``, built, encoded and sealed now; what writes it to the
    outbox in the registration's transaction. None if the campaign has no CRM."""
    if not crm_enabled(campaign):
        return None
    key = f"crm:{campaign.slug}:{record.id}"
    data = {"registration_id": record.id, "request": build_payload(campaign, record)}
    row = message_row(TOPIC_REGISTRATION, key, seal(campaign_sealer(campaign), key, data))
    return lambda conn: insert_message(conn, row)


enqueue_registration = PreparedHook(registration_message)
"""Queue a registration for the CRM in the caller's transaction (the registration hook);
its message can be made before the transaction (:class:`~campaignctl.runtime.hooks.PreparedHook`)."""


def enqueue_winner_update(
    conn: Connection,
    campaign: Campaign,
    *,
    registration_id: str,
    prize_id: str,
    draw_id: str,
    won_at: datetime | None = None,
) -> None:
    """Queue "this registration won ``prize_id`` in ``draw_id``" for the CRM, in the caller's
    transaction. Safe to call twice for the same winner: the second is dropped."""
    if not crm_enabled(campaign) or campaign.crm is None or campaign.crm.target == "csv":
        return
    prize = campaign.prize(prize_id)
    key = f"crm-winner:{campaign.slug}:{draw_id}:{registration_id}:{prize_id}"
    data = {
        "registration_id": registration_id,
        "prize_id": prize_id,
        "prize_name": prize.name if prize is not None else prize_id,
        "draw_id": draw_id,
        "won_at": (won_at or datetime.now(UTC)).isoformat(),
    }
    enqueue(conn, TOPIC_WINNER, key, seal(campaign_sealer(campaign), key, data))


def crm_url(campaign: Campaign) -> str:
    url = os.environ.get(URL_ENV) or (campaign.crm.url if campaign.crm is not None else None)
    if not url:
        raise DeliveryFailed("crm.url is not set")
    return url


def _target(campaign: Campaign) -> Target:
    crm = campaign.crm
    if crm is None:
        raise DeliveryFailed(f"campaign {campaign.slug} has no crm section")
    try:
        secret = resolve_secret(crm.secret_ref, base=campaign.folder) if crm.secret_ref else ""
    except SecretUnavailable as exc:
        raise DeliveryFailed(exc.render()) from None
    if crm.target != "csv" and not secret:
        raise DeliveryFailed(f"crm target {crm.target} needs crm.secret_ref")
    url = crm_url(campaign)
    match crm.target:
        case "webhook":
            return Webhook(campaign, url, secret)
        case "bitrix24":
            return Bitrix24(campaign, url, secret)
        case "amocrm":
            return AmoCrm(campaign, url, secret)
        case _:
            raise DeliveryFailed(f"crm target {crm.target} is not sent over HTTP")


class CrmDelivery:
    """The worker's CRM handlers for one campaign."""

    def __init__(
        self,
        campaign: Campaign,
        engine: Engine,
        *,
        sealer: Sealer | None = None,
        limiter: RateLimiter | None = None,
    ) -> None:
        self.campaign = campaign
        self.engine = engine
        self.sealer = sealer or sealer_for(campaign.folder)
        rate = campaign.crm.rate_limit_per_second if campaign.crm is not None else 5.0
        self.limiter = limiter or RateLimiter(rate)
        self._target: Target | None = None

    def handlers(self) -> dict[str, Handler]:
        if not crm_enabled(self.campaign):
            return {}
        return {TOPIC_REGISTRATION: self.deliver_registration, TOPIC_WINNER: self.deliver_winner}

    def target(self) -> Target:
        # Resolved on first use, so a secret exported after start-up is still found.
        if self._target is None:
            self._target = _target(self.campaign)
        return self._target

    def _limited(self) -> None:
        self.limiter.acquire()

    def deliver_registration(self, message: Message) -> None:
        data = open_message(self.sealer, message)
        request: CrmRequest = data["request"]
        registration_id: str = data["registration_id"]
        if request["target"] != "csv" and self._crm_id(registration_id) is not None:
            # The CRM has it already (a redelivered Message Queue batch, the relay's resend
            # after a crash): Bitrix24 and amoCRM ignore Idempotency-Key, so don't ask twice.
            return
        if request["target"] == "csv":
            body: Any = request["body"]
            spool_row(self.campaign, message.key, {str(k): str(v) for k, v in body.items()})
            return
        self._limited()
        try:
            crm_id = self.target().create(request, registration_id, message.key, message.attempt)
        except DeliveryFailed as exc:
            if exc.retry_after is not None:
                self.limiter.pause(exc.retry_after)
            raise
        self._remember(registration_id, request["target"], crm_id)

    def deliver_winner(self, message: Message) -> None:
        data = open_message(self.sealer, message)
        target = self.target()
        crm_id = self._crm_id(data["registration_id"])
        if target.needs_crm_id and crm_id is None:
            raise DeliveryFailed(f"registration {data['registration_id']} is not in the CRM yet")
        winner = WinnerUpdate(
            registration_id=data["registration_id"],
            prize_id=data["prize_id"],
            prize_name=data["prize_name"],
            draw_id=data["draw_id"],
            won_at=data["won_at"],
        )
        self._limited()
        try:
            target.update_winner(crm_id, winner, message.key)
        except DeliveryFailed as exc:
            if exc.retry_after is not None:
                self.limiter.pause(exc.retry_after)
            raise

    def _remember(self, registration_id: str, target: str, crm_id: str) -> None:
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    crm_records.insert().values(
                        registration_id=registration_id,
                        target=target,
                        crm_id=crm_id,
                        created_at=datetime.now(UTC),
                    )
                )
        except IntegrityError:
            pass  # a redelivery of a registration the CRM already has

    def _crm_id(self, registration_id: str) -> str | None:
        with self.engine.connect() as conn:
            found: str | None = conn.execute(
                select(crm_records.c.crm_id).where(crm_records.c.registration_id == registration_id)
            ).scalar()
        return found
