"""Extension points other parts of campaignctl register into (see the runtime contract).

- :data:`AFTER_REGISTRATION`: called inside the registration's transaction, so an
  outbox row (CRM message, SMS reply) commits together with the registration or not at all.
  A :class:`PreparedHook` does its work without the database (building, encoding,
  sealing a message) in a first half that the runtime may run before the
  transaction (:func:`prepare_after_registration`), so it does not lengthen the
  writer's turn; call sites run every hook with :func:`after_registration`.
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
Write = Callable[[Connection], object]
"""What a prepared hook writes inside the transaction."""


@dataclass(frozen=True)
class PreparedHook:
    """An :data:`AFTER_REGISTRATION` hook in two halves.

    ``prepare(campaign, record)`` touches no database and returns what to write
    (or None: nothing for this record). Called like a plain hook, it does both.
    """

    prepare: Callable[[Campaign, RegistrationRecord], Write | None]

    def __call__(self, conn: Connection, campaign: Campaign, record: RegistrationRecord) -> None:
        write = self.prepare(campaign, record)
        if write is not None:
            write(conn)


@dataclass(frozen=True)
class PreparedWrites:
    """The first halves of the prepared hooks, for one expected record."""

    record: RegistrationRecord
    hooks: tuple[AfterRegistration, ...]
    writes: tuple[Write | None, ...]


def prepare_after_registration(campaign: Campaign, record: RegistrationRecord) -> PreparedWrites:
    """Run the first half of every :class:`PreparedHook` for ``record``, outside the transaction."""
    current = tuple(AFTER_REGISTRATION)
    writes = tuple(
        hook.prepare(campaign, record) if isinstance(hook, PreparedHook) else None
        for hook in current
    )
    return PreparedWrites(record, current, writes)


def after_registration(
    conn: Connection,
    campaign: Campaign,
    record: RegistrationRecord,
    prepared: PreparedWrites | None = None,
) -> None:
    """Every :data:`AFTER_REGISTRATION` hook for ``record``, in the caller's transaction.

    Prepared halves are used only when they were made for exactly this record (the
    registration may have turned out otherwise, e.g. the instant prize ran out).
    """
    usable = (
        prepared is not None
        and prepared.record == record
        and prepared.hooks == tuple(AFTER_REGISTRATION)
    )
    for i, hook in enumerate(AFTER_REGISTRATION):
        if usable and isinstance(hook, PreparedHook):
            assert prepared is not None  # noqa: S101 - usable says so
            write = prepared.writes[i]
            if write is not None:
                write(conn)
        else:
            hook(conn, campaign, record)


LoginCodeSender = Callable[[Connection, Campaign, str, str], None]

AFTER_REGISTRATION: list[AfterRegistration] = []
ROUTERS: list[Callable[[RuntimeContext], APIRouter]] = []
JOBS: list[Job] = []
LOGIN_CODE: list[LoginCodeSender] = []
