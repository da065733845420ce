"""Public facts: ``/api/v1/campaign``, ``/api/v1/winners``, ``/healthz``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from sqlalchemy import Engine, MetaData, Table, inspect, select
from sqlalchemy.exc import SQLAlchemyError

from campaignctl.runtime.api.schemas import Health, Winners
from campaignctl.runtime.context import RuntimeContext
from campaignctl.runtime.phones import mask_phone
from campaignctl.runtime.stock import remaining
from campaignctl.store.runtime_tables import participants, registrations

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
    """Rows of the draws' ``winners`` table (migration 0005, filled by ``campaignctl draw``).

    Until that table exists there are no draw winners. Column names are read from
    the table itself so this query follows the draws part's schema.
    """
    table = _winners_table(ctx.engine)
    if table is None:
        return []
    cols = table.c
    draw = next((cols[n] for n in ("draw_id", "draw") if n in cols), None)
    prize = next((cols[n] for n in ("prize_id", "prize") if n in cols), None)
    who = next((cols[n] for n in ("winner_masked", "phone_masked", "winner") if n in cols), None)
    if draw is None or prize is None or who is None:
        return []
    query = select(draw, prize, who)
    if "reserve" in cols:
        query = query.where(cols["reserve"].is_(False))
    try:
        with ctx.engine.connect() as conn:
            rows = conn.execute(query).all()
    except SQLAlchemyError:
        return []
    names = {p.id: p.name for p in ctx.campaign.prizes}
    return [
        {"draw": str(r[0]), "prize": names.get(str(r[1]), str(r[1])), "winner": str(r[2])}
        for r in rows
    ]


def _winners_table(engine: Engine) -> Table | None:
    if not inspect(engine).has_table("winners"):
        return None
    return Table("winners", MetaData(), autoload_with=engine)


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
