"""Open the campaign's state database and sealer for the winners commands."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine

from campaignctl.model import Campaign
from campaignctl.runtime.sealing import Sealer, ensure_sealer
from campaignctl.state import database_url
from campaignctl.store import open_engine, upgrade


@contextmanager
def campaign_store(campaign: Campaign, url: str | None = None) -> Iterator[tuple[Engine, Sealer]]:
    engine = open_engine(url or database_url(campaign.folder))
    upgrade(engine)
    try:
        yield engine, ensure_sealer(campaign.folder)
    finally:
        engine.dispose()
