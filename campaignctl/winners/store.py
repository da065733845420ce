"""Open the campaign's state database and sealer for the winners commands."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine

from campaignctl.errors import UserError
from campaignctl.model import Campaign
from campaignctl.runtime.sealing import Sealer, ensure_sealer
from campaignctl.state import database_url
from campaignctl.store import open_engine, upgrade
from campaignctl.store.engine import head_revision, schema_is_current


@contextmanager
def campaign_store(
    campaign: Campaign, url: str | None = None, *, migrate: bool = True
) -> Iterator[tuple[Engine, Sealer]]:
    """The state database (migrated, unless ``migrate=False``: a database this process must
    not change, the cloud's, refused when it is not at this version's schema)."""
    engine = open_engine(url or database_url(campaign.folder))
    if migrate:
        upgrade(engine)
    elif not schema_is_current(engine):
        engine.dispose()
        raise UserError(
            "the database's schema is not the one this campaignctl knows "
            f"(migration {head_revision()})",
            hint="run down with the campaignctl version that deployed the stack; "
            "nothing was archived or destroyed",
            path=campaign.source,
        )
    try:
        yield engine, ensure_sealer(campaign.folder)
    finally:
        engine.dispose()
