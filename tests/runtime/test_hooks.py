"""Registration hooks: prepared halves are used only for the record they were made for."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, select, update

from campaignctl.crm.record import RegistrationRecord
from campaignctl.delivery.envelope import campaign_sealer
from campaignctl.model.campaign import Campaign
from campaignctl.queue.tables import outbox
from campaignctl.runtime import hooks
from campaignctl.runtime.context import RuntimeContext
from campaignctl.runtime.service import RegistrationService
from campaignctl.store.runtime_tables import prize_stock
from tests.runtime.conftest import issue_codes


def _record(outcome: str = "draw_entry") -> RegistrationRecord:
    return RegistrationRecord(
        id="r-1",
        campaign="c",
        registered_at=datetime(2027, 6, 1, 9, tzinfo=UTC),
        channel="site",
        phone="+79160000001",
        outcome=outcome,  # type: ignore[arg-type]
    )


def test_prepared_halves_run_once_and_only_for_their_record(
    monkeypatch: pytest.MonkeyPatch, caps: Campaign
) -> None:
    prepared: list[str] = []
    written: list[str] = []
    plain: list[str] = []

    def prepare(_campaign: Campaign, record: RegistrationRecord) -> hooks.Write:
        prepared.append(record.outcome)
        return lambda _conn: written.append(record.outcome)

    def plain_hook(_conn: Connection, _campaign: Campaign, record: RegistrationRecord) -> None:
        plain.append(record.outcome)

    monkeypatch.setattr(hooks, "AFTER_REGISTRATION", [hooks.PreparedHook(prepare), plain_hook])
    conn: Connection = None  # type: ignore[assignment] - the fake hooks never touch it
    ahead = hooks.prepare_after_registration(caps, _record("instant_win"))
    assert prepared == ["instant_win"]
    assert written == plain == []  # nothing written before the transaction
    hooks.after_registration(conn, caps, _record("instant_win"), ahead)
    assert (prepared, written, plain) == (["instant_win"], ["instant_win"], ["instant_win"])
    # The registration turned out otherwise: the stale half is not used.
    hooks.after_registration(conn, caps, _record("draw_entry"), ahead)
    assert prepared == ["instant_win", "draw_entry"]
    assert written == ["instant_win", "draw_entry"]


def _crm_message(ctx: RuntimeContext, registration_id: str) -> dict[str, object]:
    key = f"crm:{ctx.campaign.slug}:{registration_id}"
    with ctx.engine.connect() as conn:
        payload = conn.execute(
            select(outbox.c.payload).where(outbox.c.idempotency_key == key)
        ).scalar_one()
    sealed = base64.b64decode(json.loads(payload)["sealed"])
    opened: dict[str, object] = json.loads(
        campaign_sealer(ctx.campaign).open(sealed, context=key.encode())
    )
    return opened


def test_crm_message_follows_the_outcome_when_the_prize_ran_out(
    client: TestClient, caps_ctx: RuntimeContext
) -> None:
    """The message made ahead says "instant win"; with no stock left the registration
    is a draw entry, and so is what the CRM gets."""
    assert caps_ctx.ledger is not None
    codes = issue_codes(caps_ctx.ledger, "ahead", 400)
    service = RegistrationService(caps_ctx)
    winners = [
        code
        for code in codes
        if service._instant_candidate(caps_ctx.ledger.validate(code).serial or 0) is not None
    ]
    losers = [c for c in codes if c not in winners]
    assert len(winners) >= 2, "the example's odds give a few winners in 400 codes"
    body = {"phone": "+79160000002", "consent": True, "age_confirmed": True}
    won = client.post("/api/v1/registrations", json={**body, "code": winners[0]})
    assert won.status_code == 201 and won.json()["outcome"] == "instant_win"
    assert _crm_message(caps_ctx, won.json()["id"])["request"] is not None
    entered = client.post("/api/v1/registrations", json={**body, "code": losers[0]})
    assert entered.json()["outcome"] == "draw_entry"
    with caps_ctx.engine.begin() as conn:
        conn.execute(update(prize_stock).values(remaining=0))
    late = client.post(
        "/api/v1/registrations", json={**body, "phone": "+79160000003", "code": winners[1]}
    )
    assert late.status_code == 201 and late.json()["outcome"] == "draw_entry"
    assert late.json()["prize"] is None
    message = json.dumps(_crm_message(caps_ctx, late.json()["id"]), ensure_ascii=False)
    reference = json.dumps(_crm_message(caps_ctx, entered.json()["id"]), ensure_ascii=False)
    # Same shape as any draw entry's message, and no trace of the prize it would have won.
    assert "instant_win" not in message and "instant_win" in json.dumps(
        _crm_message(caps_ctx, won.json()["id"]), ensure_ascii=False
    )
    assert "draw_entry" in message and "draw_entry" in reference
