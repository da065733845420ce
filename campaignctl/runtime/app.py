"""The runtime's ASGI app: registration API, public data, other parts' routes, the promo site."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from campaignctl.codes.ledger import CodeLedger
from campaignctl.model.campaign import Campaign
from campaignctl.runtime import hooks, plugins
from campaignctl.runtime.api import me, public, registrations
from campaignctl.runtime.captcha import verifier_for
from campaignctl.runtime.context import Clock, RuntimeContext, Settings, clock_from_env
from campaignctl.runtime.sealing import ensure_sealer
from campaignctl.runtime.stock import sync_stock
from campaignctl.runtime.web import BodyLimit, SecurityHeaders
from campaignctl.runtime.worker import run_jobs
from campaignctl.state import database_url as default_database_url
from campaignctl.state import state_dir
from campaignctl.store import CodeStore, open_engine, upgrade

ADMIN_TOKEN_FILE = "admin.token"  # noqa: S105 - a file name, not a secret


def build_context(
    campaign: Campaign,
    *,
    database_url: str | None = None,
    settings: Settings | None = None,
    clock: Clock | None = None,
    local: bool = True,
    migrate: bool = True,
    checkpoints: bool = True,
) -> RuntimeContext:
    """Open (and migrate) the database, load the keys, seed the prize stock.

    ``migrate=False``: another process (the supervisor of an HTTP worker) did
    the migration and the seeding already. ``checkpoints=False``: commits leave the
    WAL to a :class:`~campaignctl.runtime.checkpoints.Checkpointer` (server processes).
    """
    engine = open_engine(
        database_url or default_database_url(campaign.folder), checkpoints=checkpoints
    )
    if migrate:
        upgrade(engine)
        sync_stock(engine, campaign)
    sealer = ensure_sealer(campaign.folder)
    ledger = (
        CodeLedger(campaign.folder, campaign.codes, CodeStore(engine)) if campaign.codes else None
    )
    return RuntimeContext(
        campaign=campaign,
        engine=engine,
        ledger=ledger,
        sealer=sealer,
        settings=settings or default_settings(campaign),
        clock=clock or clock_from_env(),
        captcha=verifier_for(campaign.anti_fraud.captcha, local=local),
    )


def default_settings(campaign: Campaign, site_dir: Path | None = None) -> Settings:
    state = state_dir(campaign.folder)
    token = state / ADMIN_TOKEN_FILE
    site = site_dir or campaign.folder / "build" / "site"
    return Settings(
        site_dir=site if site.is_dir() else None,
        uploads_dir=state / "uploads",
        admin_token=token.read_text().strip() if token.exists() else None,
    )


def create_app(
    campaign: Campaign,
    *,
    database_url: str | None = None,
    site_dir: Path | None = None,
    context: RuntimeContext | None = None,
    run_worker: bool = False,
) -> FastAPI:
    """The app for ``campaign``. ``run_worker`` runs the job loop alongside (local server only)."""
    plugins.install()
    ctx = context or build_context(
        campaign, database_url=database_url, settings=default_settings(campaign, site_dir)
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        stop = asyncio.Event()
        task = asyncio.create_task(run_jobs(ctx, stop)) if run_worker else None
        try:
            yield
        finally:
            stop.set()
            if task is not None:
                await task

    app = FastAPI(
        title=f"{campaign.campaign.name} — API",
        version="1",
        lifespan=lifespan,
        description="Registration API of a campaignctl campaign.",
    )
    app.state.runtime = ctx

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors: dict[str, str] = {}
        for error in exc.errors():
            loc = [str(p) for p in error.get("loc", ()) if p not in ("body", "header", "query")]
            errors[".".join(loc) or "form"] = "Неверное значение."
        return JSONResponse(
            {"message": "Проверьте поля запроса.", "errors": errors}, status_code=422
        )

    hot, documented = registrations.routes(ctx)
    app.router.routes.insert(0, hot)
    app.include_router(public.router(ctx))
    app.include_router(documented)
    app.include_router(me.router(ctx))
    for factory in hooks.ROUTERS:
        app.include_router(factory(ctx))
    if ctx.settings.site_dir is not None:
        app.mount("/", StaticFiles(directory=ctx.settings.site_dir, html=True), name="site")
    app.add_middleware(
        BodyLimit,
        default=ctx.settings.max_body_bytes,
        multipart=ctx.settings.max_photo_bytes + 64 * 1024,
    )
    app.add_middleware(SecurityHeaders)
    return app
