"""Where SMS replies go out: the local gateway, or the aggregator's HTTP API.

Every SMS sent is recorded in ``sms_messages`` with its segments and cost
(``budget.prices.sms_rub`` per segment: operators bill each part of a long
message as one SMS) by :mod:`campaignctl.delivery.sms`, whatever the gateway;
the local gateway sends nothing further, so on a laptop the dashboard is the
participant's phone.

The HTTP adapter posts ``{"to", "from", "text", "id"}`` as JSON to
``channels.sms.provider.url`` with ``Authorization: Bearer <secret>`` and
``Idempotency-Key``; an aggregator with another request shape gets a small
adapter of its own here.
"""

from __future__ import annotations

import os
from typing import Protocol

from campaignctl.delivery.http import post_json
from campaignctl.model import Campaign
from campaignctl.queue import DeliveryFailed
from campaignctl.secrets import SecretUnavailable, resolve_secret

URL_ENV = "CAMPAIGNCTL_SMS_PROVIDER_URL"
"""Overrides ``channels.sms.provider.url`` on this machine (staging or a test receiver)."""


class SmsGateway(Protocol):
    name: str

    def send(self, phone: str, text: str, key: str) -> None:
        """Hand one SMS to the network; DeliveryFailed when it did not take it."""
        ...


class LocalGateway:
    """Records only (the caller writes the row): for rehearsals and tests."""

    name = "local"

    def send(self, phone: str, text: str, key: str) -> None:
        return None


class HttpGateway:
    name = "http"

    def __init__(self, url: str, secret: str, sender: str) -> None:
        self.url = url
        self.secret = secret
        self.sender = sender

    def send(self, phone: str, text: str, key: str) -> None:
        post_json(
            self.url,
            {"to": phone, "from": self.sender, "text": text, "id": key},
            {"Authorization": f"Bearer {self.secret}", "Idempotency-Key": key},
        )


def gateway_for(campaign: Campaign) -> SmsGateway:
    sms = campaign.channels.sms
    provider = sms.provider if sms is not None else None
    if sms is None or provider is None or provider.kind == "local":
        return LocalGateway()
    url = os.environ.get(URL_ENV) or provider.url
    if not url or not provider.secret_ref:
        raise DeliveryFailed("channels.sms.provider needs url and secret_ref")
    try:
        secret = resolve_secret(provider.secret_ref, base=campaign.folder)
    except SecretUnavailable as exc:
        raise DeliveryFailed(exc.render()) from None
    return HttpGateway(url, secret, sms.short_number)
