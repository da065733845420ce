"""Sealed message payloads: the campaign's sealer, remembered per campaign object."""

from __future__ import annotations

import base64
import gc
import json
from dataclasses import replace
from pathlib import Path

from campaignctl.delivery.envelope import (
    _BY_CAMPAIGN,
    campaign_sealer,
    open_message,
    seal,
    sealer_for,
)
from campaignctl.model.campaign import Campaign
from campaignctl.queue import Message
from tests.runtime.conftest import copy_example

DATA = {
    "registration_id": "r-1",
    "request": {"target": "amocrm", "body": [{"name": "Анна", "b": 1}]},
}


def test_the_campaign_sealer_is_the_folders_and_follows_the_campaign(
    caps: Campaign, tmp_path: Path
) -> None:
    assert campaign_sealer(caps) is sealer_for(caps.folder)
    assert campaign_sealer(caps) is campaign_sealer(caps)
    other = copy_example("bottle-caps", tmp_path / "other")
    assert campaign_sealer(other) is sealer_for(other.folder)
    assert campaign_sealer(other).seal_key != campaign_sealer(caps).seal_key
    # A changed copy of a campaign is another object: asked for its own folder.
    moved = replace(caps, source=other.source)
    assert campaign_sealer(moved) is sealer_for(other.folder)


def test_a_dropped_campaign_leaves_nothing_behind(tmp_path: Path) -> None:
    campaign = copy_example("bottle-caps", tmp_path / "caps")
    campaign_sealer(campaign)
    key = (id(campaign),)
    assert key in _BY_CAMPAIGN
    del campaign
    gc.collect()
    assert key not in _BY_CAMPAIGN


def test_a_sealed_payload_opens_to_sorted_compact_utf8_json(caps: Campaign) -> None:
    sealer = campaign_sealer(caps)
    payload = seal(sealer, "crm:x:r-1", DATA)
    message = Message(
        id="1", topic="crm.registration", key="crm:x:r-1", payload=payload, attempt=1, receipt="r"
    )
    assert open_message(sealer, message) == DATA
    raw = base64.b64decode(str(payload["sealed"]))
    text = sealer.open(raw, context=b"crm:x:r-1")
    # One text per payload: keys sorted at every level, no spaces, Cyrillic as UTF-8.
    assert text == json.dumps(DATA, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert '"name":"Анна"' in text
