"""What every loyalty operation works on: the campaign's rules, database, sealing key and clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from campaignctl.errors import UserError
from campaignctl.model.campaign import Campaign
from campaignctl.model.mechanics import LoyaltyMechanic
from campaignctl.runtime.context import Clock, RuntimeContext, clock_from_env
from campaignctl.runtime.sealing import Sealer, ensure_sealer
from campaignctl.runtime.stock import sync_stock
from campaignctl.state import database_url as default_database_url
from campaignctl.store import open_engine, upgrade


class NotLoyalty(UserError):
    """The campaign has no ``mechanics.loyalty``."""


@dataclass(frozen=True)
class LoyaltyBook:
    campaign: Campaign
    rules: LoyaltyMechanic
    engine: Engine
    sealer: Sealer
    clock: Clock

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.campaign.period.timezone)

    def local_now(self) -> datetime:
        return self.clock().astimezone(self.zone)


def _rules(campaign: Campaign) -> LoyaltyMechanic:
    rules = campaign.mechanics.loyalty
    if rules is None:
        raise NotLoyalty(
            "this campaign has no loyalty selection",
            hint="add mechanics.loyalty to the spec (see examples/loyalty-gift)",
            path=campaign.source,
        )
    return rules


def open_book(
    campaign: Campaign, *, database_url: str | None = None, clock: Clock | None = None
) -> LoyaltyBook:
    """Open (and migrate) the campaign's state database for loyalty work."""
    rules = _rules(campaign)
    engine = open_engine(database_url or default_database_url(campaign.folder))
    upgrade(engine)
    sync_stock(engine, campaign)
    return LoyaltyBook(
        campaign, rules, engine, ensure_sealer(campaign.folder), clock or clock_from_env()
    )


def book_for(ctx: RuntimeContext) -> LoyaltyBook:
    """The book of a running app's context (same engine, key and clock)."""
    return LoyaltyBook(ctx.campaign, _rules(ctx.campaign), ctx.engine, ctx.sealer, ctx.clock)
