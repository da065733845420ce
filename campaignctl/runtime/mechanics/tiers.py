"""Dated tiers: the tier in force on a day (early-bird multipliers, prices)."""

from __future__ import annotations

from datetime import date

from campaignctl.model.mechanics import DatedTier, Mechanics


def tier_on(mechanics: Mechanics, day: date) -> DatedTier | None:
    """The first tier whose dates hold ``day``; None between or outside tiers."""
    return next((t for t in mechanics.dated_tiers if t.start <= day <= t.end), None)


def entries(base: int, tier: DatedTier | None) -> int:
    return base * (tier.draw_entries_multiplier if tier is not None else 1)
