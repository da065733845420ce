"""The status of a campaign's runtime as one JSON-able document."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from campaignctl.model.campaign import Campaign
from campaignctl.runtime import process
from campaignctl.runtime.status import stats
from campaignctl.state import database_url, state_dir
from campaignctl.store import open_engine


def campaign_status(campaign: Campaign) -> dict[str, Any]:
    found = process.running(campaign)
    alive = found is not None and process.healthy(found.base_url)
    offset = found.clock_offset if found is not None else 0.0
    now = (datetime.now(UTC) + timedelta(seconds=offset)).astimezone(
        ZoneInfo(campaign.period.timezone)
    )
    url = database_url(campaign.folder)
    has_db = (
        not url.startswith("sqlite:///")
        or (state_dir(campaign.folder, create=False) / "state.db").exists()
    )
    counts = None
    if has_db:
        engine = open_engine(url)
        try:
            counts = stats(engine, now.replace(hour=0, minute=0, second=0, microsecond=0))
        finally:
            engine.dispose()
    base = found.base_url if found is not None else None
    data = (
        counts.to_json()
        if counts is not None
        else {
            "total": 0,
            "today": 0,
            "by_channel": {},
            "by_outcome": {},
            "redeemed_by_batch": {},
            "queue": {},
        }
    )
    return {
        "campaign": campaign.slug,
        "running": alive,
        "pid": found.pid if found is not None else None,
        "url": base,
        "urls": {"site": f"{base}/", "api_docs": f"{base}/docs", "admin": f"{base}/admin"}
        if base
        else {},
        "clock": now.isoformat(),
        "registrations": {k: data[k] for k in ("total", "today", "by_channel", "by_outcome")},
        "codes_redeemed": data["redeemed_by_batch"],
        "queue": data["queue"],
    }
