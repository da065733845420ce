"""POST /api/v1/registrations through the real app (in-process ASGI client, real SQLite file)."""

from __future__ import annotations

import json

from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient

from campaignctl.runtime.api.registrations import _JSONResponse
from campaignctl.runtime.context import RuntimeContext
from tests.runtime.conftest import issue_codes

PHONE = "+7 900 123-45-67"


def _body(code: str, **extra: object) -> dict[str, object]:
    return {"code": code, "phone": PHONE, "consent": True, "age_confirmed": True, **extra}


def test_a_code_registers_once(client: TestClient, caps_ctx: RuntimeContext) -> None:
    assert caps_ctx.ledger is not None
    [code] = issue_codes(caps_ctx.ledger, "run-1", 1)
    first = client.post("/api/v1/registrations", json=_body(code))
    assert first.status_code == 201, first.text
    body = first.json()
    assert body["outcome"] in ("instant_win", "draw_entry")
    assert body["message"].startswith("Код принят!")
    assert body["draw_entries"] == 1
    again = client.post("/api/v1/registrations", json=_body(code))
    assert again.status_code == 409
    assert again.json()["message"] == "Этот код уже зарегистрирован."


def test_field_errors_are_keyed_by_field(client: TestClient) -> None:
    response = client.post(
        "/api/v1/registrations", json={"code": "", "phone": "123", "consent": False}
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert set(errors) == {"code", "phone", "consent", "age_confirmed"}


def test_not_a_code_answers_the_same_whatever_the_reason(
    client: TestClient, caps_ctx: RuntimeContext
) -> None:
    assert caps_ctx.ledger is not None
    codes = issue_codes(caps_ctx.ledger, "run-1", 2)
    typo = codes[0][:-1] + ("A" if codes[0][-1] != "A" else "B")
    answers = [
        client.post("/api/v1/registrations", json=_body(text)).json()
        for text in ("XXXX", typo, "ABCD-EFGH-JKLM")
    ]
    assert answers[0] == answers[1] == answers[2]
    assert answers[0]["errors"] == {"code": answers[0]["message"]}


def test_the_registration_route_is_first_and_still_behind_the_middlewares(
    client: TestClient, caps_ctx: RuntimeContext
) -> None:
    # The hot route sits ahead of every router in the app's list: it must still
    # get the security headers, leave other methods to a 405, and stay documented.
    assert caps_ctx.ledger is not None
    [code] = issue_codes(caps_ctx.ledger, "run-1", 1)
    created = client.post("/api/v1/registrations", json=_body(code))
    assert created.status_code == 201
    assert created.headers["content-security-policy"].startswith("default-src 'self'")
    assert created.headers["x-content-type-options"] == "nosniff"
    wrong = client.get("/api/v1/registrations")
    assert wrong.status_code == 405
    assert wrong.headers["allow"] == "POST"
    assert "post" in client.get("/openapi.json").json()["paths"]["/api/v1/registrations"]
    assert client.get("/healthz").json() == {"status": "ok"}


def test_security_headers_and_health(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.json() == {"status": "ok"}
    assert response.headers["content-security-policy"].startswith("default-src 'self'")
    assert response.headers["x-content-type-options"] == "nosniff"


def test_answers_are_the_bytes_a_json_response_renders() -> None:
    # The route renders with orjson (campaignctl.jsontext); what goes out must not change.
    body = {
        "id": "r-1",
        "outcome": "instant_win",
        "message": "Код принят! Вы выиграли: 100 ₽ на счет мобильного телефона.",
        "prize": {"id": "phone-100", "name": "100 ₽ на счет"},
        "draw_entries": 1,
        "points": 0,
        "errors": {"code": "Введите код.", "quote": 'a "b" \\ \n'},
    }
    ours = _JSONResponse(body, status_code=201, headers={"Retry-After": "5"})
    theirs = JSONResponse(body, status_code=201, headers={"Retry-After": "5"})
    assert ours.body == theirs.body
    assert ours.raw_headers == theirs.raw_headers
    # The one difference: a NaN (never in an answer) is written as null, still valid
    # JSON, where the standard encoder refuses it.
    assert json.loads(bytes(_JSONResponse({"points": float("nan")}).body)) == {"points": None}
