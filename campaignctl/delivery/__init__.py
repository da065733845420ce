"""Delivery and operations: CRM sync, SMS channel, live dashboard and metrics.

Everything outgoing goes through the queue (:mod:`campaignctl.queue`):

- :mod:`~campaignctl.delivery.crm`: registrations and winner updates to the
  CRM (signed webhook, Bitrix24, amoCRM, CSV export), rate-limited;
- :mod:`~campaignctl.delivery.sms`: SMS replies through a gateway, each counted
  with its segments and cost; :mod:`~campaignctl.delivery.sms_inbound` is the
  aggregator's webhook;
- :mod:`~campaignctl.delivery.dashboard`: ``/admin`` and ``/metrics``.

:mod:`~campaignctl.delivery.plugin` registers all of it with the runtime.
"""

from __future__ import annotations

from campaignctl.delivery.crm import enqueue_registration, enqueue_winner_update

__all__ = ["enqueue_registration", "enqueue_winner_update"]
