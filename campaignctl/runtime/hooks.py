"""Extension points other parts of campaignctl register into (see the runtime contract).

- :data:`AFTER_REGISTRATION`: called inside the registration's transaction, so an
  outbox row (CRM message, SMS reply) commits together with the registration or not at all.
- :data:`ROUTERS`: router factories included by :func:`campaignctl.runtime.app.create_app`.
- :data:`JOBS`: periodic jobs run by the worker loop.
- :data:`LOGIN_CODE`: called inside the transaction that stores a one-time login
  code, with the participant's phone and the SMS text to send.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Connection

from campaignctl.crm.record import RegistrationRecord
from campaignctl.model.campaign import Campaign

if TYPE_CHECKING:
    from fastapi import APIRouter

    from campaignctl.runtime.context import RuntimeContext


@dataclass(frozen=True)
class Job:
    """A periodic job: ``run`` is called every ``interval_seconds`` by the worker loop."""

    name: str
    interval_seconds: float
    run: Callable[[RuntimeContext], None]


AfterRegistration = Callable[[Connection, Campaign, RegistrationRecord], None]
LoginCodeSender = Callable[[Connection, Campaign, str, str], None]

AFTER_REGISTRATION: list[AfterRegistration] = []
ROUTERS: list[Callable[[RuntimeContext], APIRouter]] = []
JOBS: list[Job] = []
LOGIN_CODE: list[LoginCodeSender] = []
