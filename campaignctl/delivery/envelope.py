"""Messages carry personal data (phones, names), so their payload is sealed at rest.

The outbox row and the Yandex Message Queue message hold ``{"sealed": ...}``:
AES-GCM under the runtime's personal-data key, bound to the message's key so a
payload cannot be moved to another message. A leaked database or queue dump
shows topics and states, not participants.
"""

from __future__ import annotations

import base64
import json
from functools import cache
from pathlib import Path
from typing import Any

from campaignctl import jsontext
from campaignctl.memo import ByObject
from campaignctl.model import Campaign
from campaignctl.queue import Message, Payload
from campaignctl.runtime.sealing import Sealer, ensure_sealer


@cache
def sealer_for(campaign_folder: Path) -> Sealer:
    return ensure_sealer(campaign_folder)


_BY_CAMPAIGN: ByObject[Campaign, Sealer] = ByObject()


def campaign_sealer(campaign: Campaign) -> Sealer:
    """:func:`sealer_for` the campaign's folder, remembered per campaign object.

    ``campaign.folder`` is a new ``Path`` on every call, and hashing it for the
    cache cost more than sealing a message; a registration hook calls this per
    registration.
    """
    return _BY_CAMPAIGN.get(campaign, _folder_sealer)


def _folder_sealer(campaign: Campaign) -> Sealer:
    return sealer_for(campaign.folder)


def seal(sealer: Sealer, key: str, data: dict[str, Any]) -> Payload:
    text = jsontext.sorted_bytes(data)
    return {"sealed": base64.b64encode(sealer.seal(text, context=key.encode())).decode("ascii")}


def open_message(sealer: Sealer, message: Message) -> dict[str, Any]:
    raw = message.payload.get("sealed")
    if not isinstance(raw, str):
        raise ValueError(f"message {message.key} has no sealed payload")
    data: dict[str, Any] = json.loads(
        sealer.open(base64.b64decode(raw), context=message.key.encode())
    )
    return data
