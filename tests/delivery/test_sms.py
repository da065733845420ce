"""The SMS channel: inbound webhook → registration → reply recorded by the local gateway."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from campaignctl.crm.signing import sign
from campaignctl.delivery.sms import cost_kopecks, enqueue_sms, reply_text, webhook_secret
from campaignctl.delivery.sms_parse import SmsParser
from campaignctl.delivery.tables import sms_messages
from campaignctl.model.campaign import Campaign
from campaignctl.model.channels import SmsProvider
from campaignctl.queue import OutboxQueue
from campaignctl.runtime.app import create_app
from campaignctl.runtime.context import RuntimeContext
from campaignctl.sms.segments import count
from campaignctl.store.runtime_tables import registrations
from tests.delivery.conftest import fast_worker
from tests.delivery.receiver import CrmReceiver
from tests.runtime.conftest import issue_codes


@dataclass
class Sms:
    client: TestClient
    ctx: RuntimeContext
    codes: list[str]
    secret: bytes

    def post(
        self, payload: dict[str, object], secret: bytes | None = None
    ) -> tuple[int, dict[str, object]]:
        body = json.dumps(payload, ensure_ascii=False).encode()
        headers = {
            "Content-Type": "application/json",
            **sign(secret or self.secret, body, int(time.time())),
        }
        answer = self.client.post("/api/v1/sms/inbound", content=body, headers=headers)
        return answer.status_code, answer.json()

    def rows(self, direction: str) -> list[dict[str, object]]:
        with self.ctx.engine.connect() as conn:
            return [
                dict(r._mapping)
                for r in conn.execute(
                    select(sms_messages)
                    .where(sms_messages.c.direction == direction)
                    .order_by(sms_messages.c.id)
                )
            ]

    def registrations(self) -> int:
        with self.ctx.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(registrations)).scalar_one())


@pytest.fixture
def sms(
    caps: Campaign,
    make_context: Callable[..., RuntimeContext],
) -> Iterator[Sms]:
    ctx = make_context(caps)
    assert ctx.ledger is not None
    codes = issue_codes(ctx.ledger, "sms", 5)
    with TestClient(create_app(caps, context=ctx)) as client:
        yield Sms(client, ctx, codes, webhook_secret(caps))


def _typed(code: str) -> str:
    """How a participant types it: lower case, spaces and a dash, a Cyrillic К and М."""
    text = f"{code[:4].lower()} {code[4:8]}-{code[8:]}"
    return text.replace("K", "К").replace("M", "М")


def test_a_signed_sms_with_a_code_registers_and_gets_its_reply(sms: Sms) -> None:
    status, answer = sms.post(
        {"id": "m-1", "from": "8 (916) 555-12-34", "text": _typed(sms.codes[0])}
    )
    assert status == 200 and answer["status"] == "accepted"
    outcome = answer["outcome"]
    assert outcome in ("instant_win", "draw_entry")
    assert sms.registrations() == 1
    assert fast_worker(sms.ctx).drain().delivered == 1
    (reply,) = sms.rows("out")
    with sms.ctx.engine.connect() as conn:
        prize = conn.execute(select(registrations.c.prize_id)).scalar()
    expected = reply_text(sms.ctx.campaign, outcome, prize, fallback="-")  # type: ignore[arg-type]
    assert reply["text"] == expected and expected != "-"
    assert reply["phone_masked"] == "+7 *** ***-12-34"
    parts = count(expected).parts
    assert reply["segments"] == parts
    price = sms.ctx.campaign.budget.prices.sms_rub  # the example overrides the seed 2.80
    assert (
        reply["cost_kopecks"] == cost_kopecks(sms.ctx.campaign, parts) == int(price * 100) * parts
    )
    assert reply["registration_id"] == answer["registration_id"]
    (inbound,) = sms.rows("in")
    assert inbound["cost_kopecks"] == 0 and inbound["outcome"] == outcome


def test_a_bad_signature_is_401_and_stores_nothing(sms: Sms) -> None:
    status, _ = sms.post(
        {"id": "m-2", "from": "+79165551234", "text": sms.codes[1]}, secret=b"wrong"
    )
    assert status == 401
    answer = sms.client.post(
        "/api/v1/sms/inbound", json={"id": "m-3", "from": "+79165551234", "text": sms.codes[1]}
    )
    assert answer.status_code == 401
    assert sms.rows("in") == [] and sms.registrations() == 0
    assert OutboxQueue(sms.ctx.engine).depth()["pending"] == 0


def test_a_wrong_code_gets_the_not_a_code_reply_and_a_retried_webhook_is_answered_once(
    sms: Sms,
) -> None:
    for _ in range(2):
        status, answer = sms.post({"id": "m-4", "from": "+79165550000", "text": "QQQQ-QQQQ"})
        assert status == 200
    assert answer["status"] == "duplicate"
    assert fast_worker(sms.ctx).drain().delivered == 1
    (reply,) = sms.rows("out")
    assert reply["text"] == reply_text(sms.ctx.campaign, "not_a_code", None, fallback="-")
    assert sms.registrations() == 0


def test_a_code_sent_twice_is_already_registered(sms: Sms) -> None:
    sms.post({"id": "a", "from": "+79165550001", "text": sms.codes[2]})
    status, answer = sms.post({"id": "b", "from": "+79165550001", "text": sms.codes[2].lower()})
    assert (status, answer["outcome"]) == (200, "already_registered")
    fast_worker(sms.ctx).drain()
    texts = [r["text"] for r in sms.rows("out")]
    assert texts[-1] == reply_text(sms.ctx.campaign, "already_registered", None, fallback="-")


@pytest.mark.parametrize(
    ("text", "code", "keyword"),
    [
        ("7KQ4M2XD9FHA", "7KQ4M2XD9FHA", False),
        ("  7kq4-m2xd-9fha ", "7KQ4M2XD9FHA", False),
        ("cola 7kq4 m2xd 9fha", "7KQ4M2XD9FHA", True),
        ("СОLА 7КQ4М2XD9FНА", "7KQ4M2XD9FHA", True),  # С, О, А, К, М, Н typed in Cyrillic
        ("COLA7KQ4M2XD9FHA", "7KQ4M2XD9FHA", True),
        ("Cola: 7KQ4—M2XD—9FHA.", "7KQ4M2XD9FHA", True),
        ("", None, False),
    ],
)
def test_the_parser_reads_codes_as_people_type_them(
    text: str, code: str | None, keyword: bool
) -> None:
    parser = SmsParser("23456789ABCDEFGHJKLMNPQRSTUVWXYZ", 12, "COLA")
    parsed = parser.parse(text)
    assert (parsed.code, parsed.keyword) == (code, keyword)


def test_a_cyrillic_keyword_matches_in_any_case() -> None:
    parser = SmsParser("23456789ABCDEFGHJKLMNPQRSTUVWXYZ", 12, "БРИЗ")
    assert parser.parse("бриз 7kq4m2xd9fha") == parser.parse("БРИЗ 7KQ4-M2XD-9FHA")
    assert parser.parse("бриз 7kq4m2xd9fha").keyword


def test_the_http_gateway_posts_to_the_aggregator_and_the_reply_is_counted(
    caps: Campaign,
    make_context: Callable[..., RuntimeContext],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    aggregator = CrmReceiver().start()
    monkeypatch.setenv("SMS_API_TOKEN", "sms-token")
    monkeypatch.setenv("CAMPAIGNCTL_SMS_PROVIDER_URL", aggregator.url + "/send")
    assert caps.channels.sms is not None
    provider = SmsProvider(
        kind="http", url="https://sms.example/send", secret_ref="env:SMS_API_TOKEN"
    )
    sms = replace(caps.channels.sms, provider=provider)
    campaign = replace(caps, channels=replace(caps.channels, sms=sms))
    ctx = make_context(campaign)
    with ctx.engine.begin() as conn:
        enqueue_sms(conn, campaign, key="sms-test:1", phone="+79160000001", text="Код принят!")
    try:
        assert fast_worker(ctx).drain().delivered == 1
    finally:
        aggregator.stop()
    (sent,) = aggregator.state.accepted.values()
    assert sent.headers["Authorization"] == "Bearer sms-token"
    assert sent.json() == {
        "to": "+79160000001",
        "from": "7373",
        "text": "Код принят!",
        "id": "sms-test:1",
    }
    with ctx.engine.connect() as conn:
        row = conn.execute(select(sms_messages)).one()
    assert (row.gateway, row.segments, row.cost_kopecks) == ("http", 1, 250)
