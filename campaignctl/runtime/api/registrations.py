"""``POST /api/v1/registrations``: JSON from the site's script, or a plain form post without it."""

from __future__ import annotations

import html
import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.routing import Route

from campaignctl import jsontext
from campaignctl.loyalty.book import book_for
from campaignctl.loyalty.delivery import request_delivery, takes_delivery_requests
from campaignctl.runtime.api.schemas import FieldErrors, Refusal, RegistrationIn, RegistrationOut
from campaignctl.runtime.context import RuntimeContext
from campaignctl.runtime.form import FormErrors, Photo, parse_submission
from campaignctl.runtime.photos import photo_suffix
from campaignctl.runtime.service import RegistrationService, Result

INVALID = "Проверьте поля, отмеченные красным."
BAD_BODY = "Не удалось прочитать запрос: нужен JSON-объект или данные формы."

_HTML = {"text/html": {"schema": {"type": "string"}}}
_request_body = {
    "required": True,
    "content": {
        "application/json": {"schema": RegistrationIn.model_json_schema()},
        "application/x-www-form-urlencoded": {"schema": RegistrationIn.model_json_schema()},
    },
}


class _JSONResponse(JSONResponse):
    """A :class:`JSONResponse` (the same bytes: compact UTF-8) from orjson (:mod:`campaignctl.jsontext`)."""

    def render(self, content: Any) -> bytes:
        return jsontext.answer_bytes(content)


def client_ip(request: Request, ctx: RuntimeContext) -> str | None:
    header = ctx.settings.trusted_proxy_header
    if header:
        forwarded = request.headers.get(header)
        if forwarded:
            return forwarded.split(",")[0].strip()[:45]
    return request.client.host if request.client else None


def routes(ctx: RuntimeContext) -> tuple[Route, APIRouter]:
    """The hot route and the documented router, both serving the same handler.

    The hot route is a plain Starlette route for the app's own route list, ahead of
    every other (:func:`campaignctl.runtime.app.create_app`): a registration then
    skips FastAPI's dependency solving and the matching of every route before it
    (the API docs', the public router's), which together cost more than a tenth of
    a registration. The documented route is never reached by a POST; it keeps
    /openapi.json accurate.
    """
    api = APIRouter()
    service = RegistrationService(ctx)
    loyalty_form = takes_delivery_requests(ctx.campaign)

    async def serve(request: Request) -> Response:
        return await register(request)

    hot = Route("/api/v1/registrations", serve, methods=["POST"], include_in_schema=False)

    @api.post(
        "/api/v1/registrations",
        status_code=201,
        response_model=RegistrationOut,
        # A plain form post (no JavaScript) gets the same answers as an HTML page.
        responses={
            201: {"content": _HTML, "description": "Registered: the outcome"},
            409: {
                "model": Refusal,
                "content": _HTML,
                "description": "Code or receipt already registered",
            },
            413: {"model": Refusal, "description": "Body too large"},
            422: {
                "model": FieldErrors,
                "content": _HTML,
                "description": "Field errors, keyed by field name",
            },
            429: {
                "model": Refusal,
                "content": _HTML,
                "description": "Limit hit; see Retry-After",
                "headers": {"Retry-After": {"schema": {"type": "integer"}}},
            },
        },
        openapi_extra={"requestBody": _request_body},
        summary="Register a code or a receipt",
    )
    async def register(request: Request) -> Response:
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        is_form = kind in ("application/x-www-form-urlencoded", "multipart/form-data")
        wants_html = is_form and "application/json" not in request.headers.get("accept", "")
        raw, photo, problem = await _read(request, kind, ctx.settings.max_photo_bytes)
        if problem is not None:
            return _answer(422, {"message": problem, "errors": {"form": problem}}, wants_html)
        if loyalty_form:
            return await _delivery_request(request, ctx, raw, wants_html)
        try:
            submission = parse_submission(ctx.campaign, raw, photo)
        except FormErrors as exc:
            return _answer(422, {"message": INVALID, "errors": exc.errors}, wants_html)
        device = request.headers.get(ctx.settings.device_header)
        result = await service.register_async(
            submission, ip=client_ip(request, ctx), device=device[:128] if device else None
        )
        return _result(result, wants_html)

    return hot, api


async def _read(
    request: Request, kind: str, max_photo: int
) -> tuple[dict[str, Any], Photo | None, str | None]:
    if kind in ("application/x-www-form-urlencoded", "multipart/form-data"):
        try:
            form = await request.form(max_files=1, max_fields=30)
        except Exception:  # python-multipart raises several kinds
            return {}, None, BAD_BODY
        raw: dict[str, Any] = {}
        photo = None
        for key, value in form.multi_items():
            if isinstance(value, UploadFile):
                data = await value.read(max_photo + 1)
                if not data:
                    continue
                if len(data) > max_photo or photo_suffix(data) is None:
                    return {}, None, "Фото чека: нужен файл JPG, PNG или HEIC до 10 МБ."
                photo = Photo(value.filename or "photo", value.content_type or "", data)
            else:
                raw[key] = value
        return raw, photo, None
    try:
        body = await request.body()
        parsed: object = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return {}, None, BAD_BODY
    if not isinstance(parsed, dict):
        return {}, None, BAD_BODY
    return parsed, None, None


async def _delivery_request(
    request: Request, ctx: RuntimeContext, raw: dict[str, Any], wants_html: bool
) -> Response:
    """A loyalty campaign's form asks for the gift's delivery (:mod:`campaignctl.loyalty.delivery`)."""
    device = request.headers.get(ctx.settings.device_header)
    answer = await run_in_threadpool(
        request_delivery,
        book_for(ctx),
        raw,
        ip=client_ip(request, ctx),
        device=device[:128] if device else None,
    )
    headers = {"Retry-After": str(answer.retry_after)} if answer.retry_after else None
    return _answer(answer.status, answer.body, wants_html, headers)


def _result(result: Result, wants_html: bool) -> Response:
    if result.status == 201:
        body: dict[str, Any] = {
            "id": result.registration_id,
            "outcome": result.outcome,
            "message": result.message,
            "prize": {"id": result.prize.id, "name": result.prize.name} if result.prize else None,
            "draw_entries": result.draw_entries,
            "points": result.points,
        }
    elif result.status == 422:
        body = {"message": result.message, "errors": result.errors or {"form": result.message}}
    else:
        body = {"outcome": result.outcome, "message": result.message}
    headers = {"Retry-After": str(result.retry_after)} if result.retry_after else None
    return _answer(result.status, body, wants_html, headers)


def _answer(
    status: int, body: dict[str, Any], wants_html: bool, headers: dict[str, str] | None = None
) -> Response:
    if not wants_html:
        return _JSONResponse(body, status_code=status, headers=headers)
    lines = [body["message"], *body.get("errors", {}).values()]
    items = "".join(f"<p>{html.escape(str(line))}</p>" for line in dict.fromkeys(lines))
    page = (
        '<!doctype html><html lang="ru"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<title>Результат регистрации</title><link rel="stylesheet" href="/static/site.css">'
        f'</head><body><main class="wrap narrow"><h1>{"Готово" if status == 201 else "Не получилось"}</h1>'
        f'{items}<p><a href="/register.html">Вернуться к форме</a></p></main></body></html>'
    )
    return HTMLResponse(page, status_code=status, headers=headers)
