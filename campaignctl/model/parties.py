"""Who runs the promotion: organizer and operator, and the campaign's identity."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kpi:
    participants: int | None = None
    registrations: int | None = None
    redemption_rate: float | None = None


@dataclass(frozen=True)
class Identity:
    slug: str
    name: str
    brand: str
    id: str | None = None
    client: str | None = None
    description: str | None = None
    language: str = "ru"
    kpi: Kpi = Kpi()


@dataclass(frozen=True)
class LegalEntity:
    legal_name: str
    inn: str
    ogrn: str
    legal_address: str
    email: str
    kpp: str | None = None
    postal_address: str | None = None
    phone: str | None = None
    website: str | None = None
    role: str | None = None
    """Operators only: what the operator does for the organizer."""
