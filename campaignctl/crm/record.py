"""One registration as the CRM sees it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from campaignctl.registration import Channel, Outcome


@dataclass(frozen=True)
class ReceiptIds:
    """The fiscal identifiers of a receipt (from its QR string): together they are unique."""

    fn: str
    """Fiscal drive number."""
    i: str
    """Fiscal document number."""
    fp: str
    """Fiscal sign."""

    def __str__(self) -> str:
        return f"fn={self.fn}&i={self.i}&fp={self.fp}"


@dataclass(frozen=True)
class RegistrationRecord:
    """A registration after the runtime decided its outcome.

    Codes travel masked (``7KQ4-****-9FHA``) with their serial: a CRM export
    that leaks must not leak redeemable codes.
    """

    id: str
    campaign: str
    """The campaign slug."""
    registered_at: datetime
    channel: Channel
    phone: str
    """E.164, e.g. ``+79161234567``."""
    outcome: Outcome
    name: str | None = None
    email: str | None = None
    birth_date: date | None = None
    city: str | None = None
    code_serial: int | None = None
    code_masked: str | None = None
    receipt: ReceiptIds | None = None
    prize: str | None = None
    """Prize id from the campaign, when the registration won one."""

    def __post_init__(self) -> None:
        if self.registered_at.tzinfo is None:
            raise ValueError("registered_at must carry its time zone")
