"""``GET /api/v1/draws``: every round's commitment (and seed once drawn), and the published files.

The commitment is what the site shows before a draw; after it, anyone can fetch
``/api/v1/draws/ROUND/protocol.json`` and ``entries.csv`` and run
``campaignctl draw verify``.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse
from sqlalchemy import inspect

from campaignctl.draws.service import published_folder
from campaignctl.runtime.context import RuntimeContext
from campaignctl.winners.public import public_rounds

PUBLISHED_FILES = {
    "entries.csv": "text/csv; charset=utf-8",
    "protocol.json": "application/json",
    "protocol.html": "text/html; charset=utf-8",
    "protocol.pdf": "application/pdf",
}


def router(ctx: RuntimeContext) -> APIRouter:
    api = APIRouter()

    @api.get(
        "/api/v1/draws", summary="Draw rounds: seed commitments, revealed seeds, entries hashes"
    )
    def rounds() -> dict[str, Any]:
        if not inspect(ctx.engine).has_table("draw_rounds"):
            return {"draws": []}
        with ctx.engine.connect() as conn:
            return {"draws": public_rounds(conn, ctx.campaign)}

    @api.get("/api/v1/draws/{round_id}/{name}", summary="A drawn round's published file")
    def published(round_id: str, name: str) -> FileResponse:
        known = {d.id for d in ctx.campaign.draws}
        if round_id not in known or name not in PUBLISHED_FILES:
            raise HTTPException(status_code=404, detail="no such file")
        path = published_folder(ctx.campaign, round_id) / name
        if not path.is_file():
            raise HTTPException(status_code=404, detail="the round is not drawn yet")
        return FileResponse(path, media_type=PUBLISHED_FILES[name])

    return api
