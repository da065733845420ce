"""Public facts: ``/api/v1/campaign``, ``/api/v1/winners``, ``/healthz``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from sqlalchemy import inspect, select

from campaignctl.runtime.api.schemas import Health, Winners
from campaignctl.runtime.context import RuntimeContext
from campaignctl.runtime.phones import mask_phone
from campaignctl.runtime.stock import remaining
from campaignctl.store.runtime_tables import participants, registrations
from campaignctl.winners.public import public_winners

RECENT_INSTANT_WINNERS = 50


def router(ctx: RuntimeContext) -> APIRouter:
    api = APIRouter()

    @api.get("/healthz", response_model=Health, summary="Liveness")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @api.get("/api/v1/campaign", summary="Public facts about the campaign")
    def campaign() -> dict[str, Any]:
        return campaign_facts(ctx)

    @api.get("/api/v1/winners", response_model=Winners, summary="Winners, masked")
    def winners() -> dict[str, Any]:
        return {"winners": draw_winners(ctx) + instant_winners(ctx)}

    return api


def campaign_facts(ctx: RuntimeContext) -> dict[str, Any]:
    c = ctx.campaign
    today = ctx.local_now().date()
    stock = remaining(ctx.engine)
    return {
        "slug": c.slug,
        "name": c.campaign.name,
        "brand": c.campaign.brand,
        "timezone": c.period.timezone,
        "period": {"start": c.period.start.isoformat(), "end": c.period.end.isoformat()},
        "registration": {
            "start": c.period.registration.start.isoformat(),
            "end": c.period.registration.end.isoformat(),
            "open": today in c.period.registration,
        },
        "mechanics": [
            name
            for name, m in (
                ("codes", c.mechanics.codes),
                ("receipts", c.mechanics.receipts),
                ("loyalty", c.mechanics.loyalty),
            )
            if m is not None
        ],
        "prizes": [
            {
                "id": p.id,
                "name": p.name,
                "award": p.award,
                "quantity": p.quantity,
                "remaining": stock.get(p.id, p.quantity),
            }
            for p in c.prizes
        ],
        "draws": [{"id": d.id, "name": d.name or d.id, "at": d.at.isoformat()} for d in c.draws],
    }


def draw_winners(ctx: RuntimeContext) -> list[dict[str, str]]:
    """Draw winners whose prize stands (:func:`campaignctl.winners.public.public_winners`)."""
    if not inspect(ctx.engine).has_table("winners"):
        return []
    with ctx.engine.connect() as conn:
        rows = public_winners(conn, ctx.campaign)
    return [{"draw": r["round"], "prize": r["prize_name"], "winner": r["phone"]} for r in rows]


def instant_winners(ctx: RuntimeContext) -> list[dict[str, str]]:
    """The latest instant wins, phones masked (draw "" puts them in the site's "other" list)."""
    names = {p.id: p.name for p in ctx.campaign.prizes}
    with ctx.engine.connect() as conn:
        rows = conn.execute(
            select(registrations.c.prize_id, participants.c.phone_sealed)
            .join(participants, participants.c.id == registrations.c.participant_id)
            .where(registrations.c.prize_id.is_not(None))
            .order_by(registrations.c.created_at.desc())
            .limit(RECENT_INSTANT_WINNERS)
        ).all()
    return [
        {
            "draw": "",
            "prize": names.get(r.prize_id, r.prize_id),
            "winner": mask_phone(ctx.sealer.open(r.phone_sealed)),
        }
        for r in rows
    ]
