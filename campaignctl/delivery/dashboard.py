"""``/admin`` (the live dashboard), its login and moderation actions, and ``/metrics``.

Unauthenticated requests get 401: the dashboard answers with its sign-in form,
``/metrics`` with a bare 401. See :mod:`campaignctl.delivery.admin_auth`.
"""

from __future__ import annotations

import urllib.parse
from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from campaignctl.delivery.admin_auth import COOKIE, SESSION_SECONDS, AdminAuth
from campaignctl.delivery.dashboard_data import load_dashboard, moderate
from campaignctl.delivery.dashboard_html import STYLE, render_dashboard, render_login
from campaignctl.delivery.metrics import CONTENT_TYPE, exposition
from campaignctl.queue import OutboxQueue
from campaignctl.runtime.context import RuntimeContext

_NO_STORE = {"Cache-Control": "no-store"}


async def _form(request: Request) -> dict[str, str]:
    body = (await request.body()).decode("utf-8", "replace")
    return {k: v[0] for k, v in urllib.parse.parse_qs(body).items()}


def router(ctx: RuntimeContext) -> APIRouter:
    api = APIRouter(include_in_schema=False)
    auth = AdminAuth(ctx.settings.admin_token)
    queue = OutboxQueue(ctx.engine)

    def session_of(request: Request) -> str | None:
        cookie = request.cookies.get(COOKIE)
        return cookie if auth.session_ok(cookie) else None

    def allowed(request: Request) -> bool:
        return auth.bearer_ok(request.headers.get("authorization")) or (
            session_of(request) is not None
        )

    def login_page(status: int, message: str | None = None) -> HTMLResponse:
        headers = {**_NO_STORE, "WWW-Authenticate": 'Bearer realm="campaignctl admin"'}
        return HTMLResponse(render_login(message), status_code=status, headers=headers)

    @api.get("/admin/dashboard.css")
    async def style() -> Response:
        return Response(STYLE, media_type="text/css", headers={"Cache-Control": "max-age=3600"})

    @api.get("/admin")
    async def dashboard(request: Request) -> Response:
        if not allowed(request):
            return login_page(401)
        session = session_of(request)
        data = await run_in_threadpool(load_dashboard, ctx.campaign, queue, now=ctx.clock())
        csrf = auth.csrf_token(session) if session else None
        return HTMLResponse(render_dashboard(data, csrf), headers=_NO_STORE)

    @api.post("/admin/login")
    async def login(request: Request) -> Response:
        client = request.client.host if request.client else "?"
        if not auth.login_allowed(client):
            return login_page(429, "Too many attempts: wait a minute.")
        token = (await _form(request)).get("token", "")
        if not auth.token_matches(token):
            return login_page(401, "Wrong token.")
        answer = RedirectResponse("/admin", status_code=303)
        answer.set_cookie(
            COOKIE,
            auth.new_session(),
            max_age=SESSION_SECONDS,
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
            path="/",
        )
        return answer

    @api.post("/admin/logout")
    async def logout() -> Response:
        answer = RedirectResponse("/admin", status_code=303)
        answer.delete_cookie(COOKIE, path="/")
        return answer

    @api.post("/admin/moderation/{flag_id}")
    async def moderation(flag_id: int, request: Request) -> Response:
        form = await _form(request)
        bearer = auth.bearer_ok(request.headers.get("authorization"))
        session = session_of(request)
        if not bearer and session is None:
            return login_page(401)
        if not bearer and not auth.csrf_ok(session, form.get("csrf")):
            return PlainTextResponse("CSRF token missing or wrong", status_code=403)
        action = form.get("action")
        if action not in ("approve", "block"):
            return PlainTextResponse("action must be approve or block", status_code=422)

        def apply() -> bool:
            with ctx.engine.begin() as conn:
                return moderate(conn, ctx.campaign, flag_id, action, ctx.clock())

        if not await run_in_threadpool(apply):
            return PlainTextResponse("no open flag with that id", status_code=404)
        return RedirectResponse("/admin", status_code=303)

    @api.get("/metrics")
    async def metrics(request: Request) -> Response:
        if not allowed(request):
            return PlainTextResponse("unauthorised", status_code=401, headers=_NO_STORE)

        def collect() -> str:
            data = load_dashboard(ctx.campaign, queue, now=datetime.now(UTC))
            return exposition(data, queue)

        text = await run_in_threadpool(collect)
        return Response(text, media_type=CONTENT_TYPE, headers=_NO_STORE)

    return api
