"""The Cloud Function entry points driven by recorded API Gateway, Message Queue and timer events.

The registration tests of the runtime run again through ``handler.http``: the
function cold-starts from the packaged campaign, decrypts its codes key from a
KMS emulator on 127.0.0.1 (the KMS decrypt protocol over real HTTP), and serves
the same app as the local server.
"""

from __future__ import annotations

import base64
import copy
import json
import secrets
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from campaignctl.codes.keys import key_path
from campaignctl.codes.ledger import CodeLedger
from campaignctl.delivery.dashboard_data import load_dashboard
from campaignctl.delivery.dashboard_html import render_dashboard
from campaignctl.delivery.metrics import exposition
from campaignctl.delivery.sms import enqueue_sms
from campaignctl.draws import service as draws_service
from campaignctl.queue import OutboxQueue
from campaignctl.runtime.context import CLOCK_ENV
from campaignctl.stack.yandex import coldstart, handler
from campaignctl.stack.yandex.functions import secret_variable
from campaignctl.stack.yandex.jobs import JobsFailed
from campaignctl.stack.yandex.kms import DecryptFailed
from campaignctl.stack.yandex.vault import aad_context
from campaignctl.store import CodeStore, open_engine, upgrade
from campaignctl.store.runtime_tables import registrations
from tests.runtime.conftest import copy_example, issue_codes

EVENTS = Path(__file__).parent / "events"
KEY_ID = "abjq3tjhj1o8e9f5k2m4"
TOKEN = "t1.test-iam-token"
CONTEXT = SimpleNamespace(
    token={"access_token": TOKEN, "expires_in": 42000, "token_type": "Bearer"}
)
PHONE = "+7 900 123-45-67"


class Kms:
    """Yandex KMS ``:decrypt`` over HTTP for the ciphertexts it made (``seal``)."""

    def __init__(self) -> None:
        self.sealed: dict[str, tuple[str, str]] = {}
        self.calls = 0
        kms = self

        class Handle(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                kms.calls += 1
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                ok_path = self.path == f"/kms/v1/keys/{KEY_ID}:decrypt"
                entry = kms.sealed.get(body.get("ciphertext", ""))
                aad = base64.b64decode(body.get("aadContext", "")).decode()
                good = (
                    ok_path
                    and self.headers.get("Authorization") == f"Bearer {TOKEN}"
                    and entry is not None
                    and entry[0] == aad
                )
                answer = (
                    {"keyId": KEY_ID, "plaintext": base64.b64encode(entry[1].encode()).decode()}
                    if good and entry
                    else {"message": "Permission denied"}
                )
                data = json.dumps(answer).encode()
                self.send_response(200 if good else 403)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handle)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def seal(self, aad: str, plaintext: str) -> str:
        ciphertext = base64.b64encode(secrets.token_bytes(24)).decode()
        self.sealed[ciphertext] = (aad, plaintext)
        return ciphertext


@pytest.fixture
def kms() -> Iterator[Kms]:
    emulator = Kms()
    yield emulator
    emulator.server.shutdown()


@pytest.fixture
def function(tmp_path: Path, kms: Kms, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """A packaged bottle-caps campaign (no key in the package), its database, five codes."""
    package = copy_example("bottle-caps", tmp_path / "package")
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    engine = open_engine(url)
    upgrade(engine)
    assert package.codes is not None
    codes = issue_codes(CodeLedger(package.folder, package.codes, CodeStore(engine)), "run-1", 5)
    key_text = key_path(package.folder).read_text()
    key_path(package.folder).unlink()  # the package never holds the key
    at = datetime(2027, 6, 10, 12, 0, tzinfo=ZoneInfo("Europe/Moscow"))
    monkeypatch.setenv(CLOCK_ENV, str((at - datetime.now(UTC)).total_seconds()))
    monkeypatch.setenv("CAMPAIGNCTL_CAMPAIGN", str(package.source))
    monkeypatch.setenv("CAMPAIGNCTL_DATABASE_URL", url)
    monkeypatch.setenv("CAMPAIGNCTL_WORK_DIR", str(tmp_path / "work"))
    monkeypatch.setenv("CAMPAIGNCTL_KMS_KEY_ID", KEY_ID)
    monkeypatch.setenv("CAMPAIGNCTL_KMS_ENDPOINT", kms.url)
    monkeypatch.setenv(
        secret_variable("codes_key"), kms.seal(aad_context(package.slug, "codes_key"), key_text)
    )
    handler.reset()
    yield {"codes": codes, "engine": engine, "campaign": package}
    handler.reset()
    engine.dispose()


def _event(name: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    event: dict[str, Any] = copy.deepcopy(json.loads((EVENTS / name).read_text(encoding="utf-8")))
    if body is not None:
        text = json.dumps(body, ensure_ascii=False)
        event["body"] = text
        length = str(len(text.encode()))
        event["headers"]["Content-Length"] = length
        event["multiValueHeaders"]["Content-Length"] = [length]
    return event


def _json(result: dict[str, Any]) -> Any:
    assert result["isBase64Encoded"] is False
    return json.loads(result["body"])


def _body(code: str) -> dict[str, object]:
    return {"code": code, "phone": PHONE, "consent": True, "age_confirmed": True}


def test_the_stack_and_the_handler_agree_on_names() -> None:
    assert coldstart.secret_variable("db_password") == secret_variable("db_password")
    assert coldstart.aad_context("slug", "codes_key") == aad_context("slug", "codes_key")


def test_a_code_registers_once_through_api_gateway(function: dict[str, Any], kms: Kms) -> None:
    code = function["codes"][0]
    first = handler.http(_event("apigw_registration_post.json", _body(code)), CONTEXT)
    assert first["statusCode"] == 201, first["body"]
    assert _json(first)["message"].startswith("Код принят!")
    assert first["headers"]["content-type"] == "application/json"
    assert "content-security-policy" in first["multiValueHeaders"]
    again = handler.http(_event("apigw_registration_post.json", _body(code)), CONTEXT)
    assert again["statusCode"] == 409
    assert _json(again)["message"] == "Этот код уже зарегистрирован."
    assert kms.calls == 1  # decrypted once, at the cold start
    with function["engine"].connect() as conn:
        row = conn.execute(select(registrations.c.ip, registrations.c.device)).one()
    assert (row.ip, row.device) == ("203.0.113.7", "fp-3f9a1c")


def test_field_errors_and_not_a_code(function: dict[str, Any]) -> None:
    bad = handler.http(
        _event("apigw_registration_post.json", {"code": "", "phone": "123", "consent": False}),
        CONTEXT,
    )
    assert bad["statusCode"] == 422
    assert set(_json(bad)["errors"]) == {"code", "phone", "consent", "age_confirmed"}
    guess = handler.http(_event("apigw_registration_post.json", _body("ABCD-EFGH-JKLM")), CONTEXT)
    assert guess["statusCode"] == 422
    assert set(_json(guess)["errors"]) == {"code"}


def test_a_base64_form_post_gets_a_page(function: dict[str, Any]) -> None:
    event = _event("apigw_form_post_base64.json")
    form = {"code": function["codes"][1], "phone": PHONE, "consent": "yes", "age_confirmed": "yes"}
    event["body"] = base64.b64encode(urlencode(form).encode()).decode()
    result = handler.http(event, CONTEXT)
    assert result["statusCode"] == 201
    assert result["headers"]["content-type"].startswith("text/html")
    assert "Код принят!" in result["body"]


def test_payload_1_0_get_with_query(function: dict[str, Any]) -> None:
    result = handler.http(_event("apigw_v1_campaign_get.json"), CONTEXT)
    assert result["statusCode"] == 200
    assert _json(result)["slug"] == function["campaign"].slug


def test_a_wrong_ciphertext_stops_the_cold_start(
    function: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(secret_variable("codes_key"), "bm90IGEgY2lwaGVydGV4dA==")
    with pytest.raises(DecryptFailed, match="HTTP 403"):
        handler.http(_event("apigw_v1_campaign_get.json"), CONTEXT)


def test_queue_messages_reach_the_delivery_handlers(function: dict[str, Any]) -> None:
    engine = function["engine"]
    # Sealed with the campaign key, as the http function would have.
    running = handler.runtime(CONTEXT).campaign
    with engine.begin() as conn:
        enqueue_sms(conn, running, key="sms-test-1", phone="+79001234567", text="Тест")
    [message] = OutboxQueue(engine).claim(1, 60)
    OutboxQueue(engine).ack(message)  # it travels through Message Queue here
    event = _event("ymq_message_batch.json")
    raw = event["messages"][0]["details"]["message"]
    raw["body"] = json.dumps(
        {"topic": message.topic, "key": message.key, "payload": message.payload}
    )
    assert handler.queue(event, CONTEXT) == {"delivered": 1}
    raw["body"] = json.dumps({"topic": "nobody.listens", "key": "k-1", "payload": {}})
    with pytest.raises(RuntimeError, match="1 of 1 not delivered"):
        handler.queue(event, CONTEXT)


def test_the_draw_timer_draws_once(function: dict[str, Any]) -> None:
    for code in function["codes"][:3]:
        ok = handler.http(_event("apigw_registration_post.json", _body(code)), CONTEXT)
        assert ok["statusCode"] == 201
    tick = _event("timer_tick.json")  # 2027-06-17 09:00 UTC: the week-01 draw
    first = handler.timer(tick, CONTEXT)
    assert first["ran"] == ["draw:week-01"] and first["skipped"] == []
    again = handler.timer(tick, CONTEXT)
    assert again["ran"] == [] and again["skipped"] == ["draw:week-01"]


def test_a_quiet_minute_runs_nothing(function: dict[str, Any]) -> None:
    tick = _event("timer_tick.json")
    tick["messages"][0]["event_metadata"]["created_at"] = "2027-06-11T13:17:00.000Z"
    assert handler.timer(tick, CONTEXT)["ran"] == []


def test_a_failed_draw_is_visible_then_drawn_by_the_catch_up(
    function: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    for code in function["codes"][:3]:
        ok = handler.http(_event("apigw_registration_post.json", _body(code)), CONTEXT)
        assert ok["statusCode"] == 201
    real = draws_service.draw_round

    def database_away(*args: Any, **kwargs: Any) -> Any:
        raise ConnectionError("the database went away")

    tick = _event("timer_tick.json")  # 2027-06-17 09:00 UTC: the week-01 draw
    monkeypatch.setattr(draws_service, "draw_round", database_away)
    with pytest.raises(JobsFailed, match="draw:week-01: the database went away"):
        handler.timer(tick, CONTEXT)
    campaign = handler.runtime(CONTEXT).campaign
    engine = function["engine"]
    queue = OutboxQueue(engine)
    late = datetime(2027, 6, 17, 9, 16, tzinfo=UTC)
    data = load_dashboard(campaign, queue, now=late)
    assert [r for r, _ in data.overdue_draws] == ["week-01"]
    assert 'campaignctl_draws_overdue{round="week-01"} 1' in exposition(data, queue)
    assert "Overdue draws (1)" in render_dashboard(data, None)

    # Five minutes later the catch-up timer draws it; nothing else is drawn twice.
    monkeypatch.setattr(draws_service, "draw_round", real)
    tick["messages"][0]["event_metadata"]["created_at"] = "2027-06-17T09:05:00.000Z"
    assert handler.timer(tick, CONTEXT)["ran"] == ["draw:week-01"]
    tick["messages"][0]["event_metadata"]["created_at"] = "2027-06-17T09:15:00.000Z"
    assert handler.timer(tick, CONTEXT)["ran"] == []
    data = load_dashboard(campaign, queue, now=late)
    assert data.overdue_draws == []
    assert "campaignctl_draws_overdue{" not in exposition(data, queue)
