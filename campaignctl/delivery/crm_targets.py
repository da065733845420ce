"""The CRM targets on the wire: signed webhook, Bitrix24 REST, amoCRM API v4.

Each target creates the record for a registration (and says what the CRM
called it) and applies a winner update to that record. Every request carries
``Idempotency-Key``; Bitrix24 and amoCRM ignore it, so on a retry (the first
try may have reached them before the worker died) the target first looks the
registration up and returns the record it finds instead of creating a second.
"""

from __future__ import annotations

import json
import time
import urllib.parse
from dataclasses import dataclass
from typing import Any, Protocol

from campaignctl.crm.fields import mapping_for
from campaignctl.crm.payload import CrmRequest
from campaignctl.crm.signing import sign
from campaignctl.delivery.http import Response, post_json, send
from campaignctl.model import Campaign
from campaignctl.queue import DeliveryFailed

IDEMPOTENCY_HEADER = "Idempotency-Key"


@dataclass(frozen=True)
class WinnerUpdate:
    registration_id: str
    prize_id: str
    prize_name: str
    draw_id: str
    won_at: str


class Target(Protocol):
    def create(self, request: CrmRequest, registration_id: str, key: str, attempt: int) -> str:
        """Send the registration; the CRM's id of the record (or the registration id)."""
        ...

    def update_winner(self, crm_id: str | None, winner: WinnerUpdate, key: str) -> None: ...

    needs_crm_id: bool


def _headers(key: str) -> dict[str, str]:
    return {IDEMPOTENCY_HEADER: key}


def _rejected(response: Response, what: str) -> DeliveryFailed:
    return DeliveryFailed(f"{what}: unexpected answer {response.body[:300]!r}")


class Webhook:
    """``POST crm.url`` with the JSON body, signed (see :mod:`campaignctl.crm.signing`)."""

    needs_crm_id = False

    def __init__(self, campaign: Campaign, url: str, secret: str) -> None:
        self.campaign = campaign
        self.url = url
        self.secret = secret.encode("utf-8")

    def _post(self, payload: object, key: str) -> None:
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        headers = {
            "Content-Type": "application/json",
            **_headers(key),
            **sign(self.secret, body, int(time.time())),
        }
        send("POST", self.url, body, headers)

    def create(self, request: CrmRequest, registration_id: str, key: str, attempt: int) -> str:
        self._post(request["body"], key)
        return registration_id

    def update_winner(self, crm_id: str | None, winner: WinnerUpdate, key: str) -> None:
        self._post(
            {
                "event": "winner",
                "meta": {
                    "id": winner.registration_id,
                    "campaign": self.campaign.slug,
                    "prize_id": winner.prize_id,
                    "draw_id": winner.draw_id,
                    "won_at": winner.won_at,
                },
                "fields": {"prize": winner.prize_name},
            },
            key,
        )


class Bitrix24:
    """Bitrix24 inbound webhook: ``<portal>/rest/<user id>/<token>/crm.<entity>.<method>.json``.

    The spec keeps the portal URL in ``crm.url`` and ``<user id>/<token>`` behind
    ``crm.secret_ref``, so the token never sits in the campaign file.
    """

    needs_crm_id = True

    def __init__(self, campaign: Campaign, url: str, token: str) -> None:
        self.campaign = campaign
        self.entity = campaign.crm.entity if campaign.crm is not None else "lead"
        self.base = f"{url.rstrip('/')}/rest/{token.strip('/')}"

    def _call(self, method: str, payload: object, key: str) -> Any:
        answer = post_json(f"{self.base}/crm.{self.entity}.{method}.json", payload, _headers(key))
        data = answer.json()
        if not isinstance(data, dict) or "error" in data or "result" not in data:
            raise _rejected(answer, f"Bitrix24 crm.{self.entity}.{method}")
        return data["result"]

    def _existing(self, registration_id: str, key: str) -> str | None:
        found = self._call(
            "list",
            {
                "filter": {"ORIGINATOR_ID": "campaignctl", "ORIGIN_ID": registration_id},
                "select": ["ID"],
            },
            key,
        )
        if isinstance(found, list) and found:
            return str(found[0]["ID"])
        return None

    def create(self, request: CrmRequest, registration_id: str, key: str, attempt: int) -> str:
        if attempt > 1 and (found := self._existing(registration_id, key)) is not None:
            return found
        return str(self._call("add", request["body"], key))

    def update_winner(self, crm_id: str | None, winner: WinnerUpdate, key: str) -> None:
        fields: dict[str, object] = {
            "COMMENTS": f"Победитель розыгрыша {winner.draw_id}: {winner.prize_name}"
        }
        for m in mapping_for(self.campaign, "bitrix24"):
            if m.field == "prize" and m.target is not None:
                fields[str(m.target)] = winner.prize_name
            if m.field == "outcome" and m.target is not None:
                fields[str(m.target)] = "winner"
        self._call("update", {"id": crm_id, "fields": fields}, key)


class AmoCrm:
    """amoCRM API v4 with a long-lived token (``Authorization: Bearer``)."""

    needs_crm_id = True

    def __init__(self, campaign: Campaign, url: str, token: str) -> None:
        self.campaign = campaign
        self.entity = campaign.crm.entity if campaign.crm is not None else "lead"
        self.url = url.rstrip("/")
        self.auth = {"Authorization": f"Bearer {token}"}
        self.collection = "leads" if self.entity == "lead" else "contacts"

    def _existing(self, registration_id: str, key: str) -> str | None:
        # Leads are named "<campaign>: <registration id>"; query searches names.
        query = urllib.parse.urlencode({"query": registration_id})
        answer = send(
            "GET",
            f"{self.url}/api/v4/{self.collection}?{query}",
            None,
            {**self.auth, **_headers(key)},
        )
        if answer.status == 204 or not answer.body:
            return None
        items = (answer.json() or {}).get("_embedded", {}).get(self.collection, [])
        return str(items[0]["id"]) if items else None

    def create(self, request: CrmRequest, registration_id: str, key: str, attempt: int) -> str:
        if (
            self.entity == "lead"
            and attempt > 1
            and (found := self._existing(registration_id, key)) is not None
        ):
            return found
        answer = post_json(
            f"{self.url}{request['path']}", request["body"], {**self.auth, **_headers(key)}
        )
        data = answer.json()
        try:
            if self.entity == "lead":  # /leads/complex answers [{"id", "contact_id", ...}]
                return str(data[0]["id"])
            return str(data["_embedded"]["contacts"][0]["id"])
        except (KeyError, IndexError, TypeError):
            raise _rejected(answer, f"amoCRM {request['path']}") from None

    def update_winner(self, crm_id: str | None, winner: WinnerUpdate, key: str) -> None:
        note = {
            "note_type": "common",
            "params": {"text": f"Победитель розыгрыша {winner.draw_id}: {winner.prize_name}"},
        }
        post_json(
            f"{self.url}/api/v4/{self.collection}/{crm_id}/notes",
            [note],
            {**self.auth, **_headers(key)},
        )
