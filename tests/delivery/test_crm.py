"""CRM sync end to end: the runtime registers, the outbox holds, the worker delivers to a local CRM."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from campaignctl.crm.signing import SIGNATURE_HEADER
from campaignctl.delivery.crm import TOPIC_WINNER, enqueue_winner_update
from campaignctl.delivery.csv_export import export_csv, export_dir
from campaignctl.delivery.ratelimit import RateLimiter
from campaignctl.model.campaign import Campaign
from campaignctl.queue import OutboxQueue, RetryPolicy
from campaignctl.runtime.context import RuntimeContext
from campaignctl.runtime.service import Result
from tests.delivery.conftest import FAST, fast_worker, with_crm
from tests.delivery.receiver import CrmReceiver
from tests.runtime.conftest import copy_example

Register = Callable[[Campaign, int], tuple[RuntimeContext, list[Result]]]


def _drain_until(ctx: RuntimeContext, done: Callable[[], bool], seconds: float = 20) -> None:
    worker = fast_worker(ctx)
    deadline = time.monotonic() + seconds
    while not done() and time.monotonic() < deadline:
        worker.run_once()
        time.sleep(0.05)


def test_each_registration_reaches_the_webhook_once_signed(
    webhook_campaign: Campaign, receiver: CrmReceiver, register: Register
) -> None:
    ctx, results = register(webhook_campaign, 5)
    queue = OutboxQueue(ctx.engine)
    assert queue.depth()["pending"] == 5
    # The payload at rest is sealed: no phone number in the outbox.
    with ctx.engine.connect() as conn:
        stored = conn.exec_driver_sql("SELECT payload FROM outbox").scalars().all()
    assert all("+7916" not in p and "sealed" in p for p in stored)
    tally = fast_worker(ctx).drain()
    assert (tally.delivered, tally.retried, tally.dead) == (5, 0, 0)
    assert receiver.state.duplicates == []
    ids = {r.registration_id for r in results}
    got = {r.json()["meta"]["id"]: r for r in receiver.state.accepted.values()}
    assert set(got) == ids
    one = next(iter(got.values()))
    assert one.headers[SIGNATURE_HEADER].startswith("sha256=")
    assert one.headers["Idempotency-Key"].startswith("crm:")
    assert one.json()["fields"]["phone"].startswith("+7916")
    assert queue.depth()["delivered"] == 5


def test_outage_then_recovery_delivers_everything_once(
    webhook_campaign: Campaign, receiver: CrmReceiver, register: Register
) -> None:
    ctx, _ = register(webhook_campaign, 6)
    policy = RetryPolicy(max_attempts=30, base_seconds=0.05, cap_seconds=0.3, lease_seconds=30)
    worker = fast_worker(ctx, policy)
    receiver.state.mode = "503"
    receiver.state.retry_after = "0"
    worker.run_once()
    assert len(receiver.state.requests) == 6  # each answered 503
    receiver.stop()  # now connections are refused
    worker.run_once()
    time.sleep(0.3)
    worker.run_once()
    assert receiver.state.accepted == {}
    receiver.state.mode = "ok"
    receiver.start()
    deadline = time.monotonic() + 20
    while len(receiver.state.accepted) < 6 and time.monotonic() < deadline:
        worker.run_once()
        time.sleep(0.05)
    assert len(receiver.state.accepted) == 6
    assert receiver.state.duplicates == []
    errors = [m.last_error or "" for m in OutboxQueue(ctx.engine).messages()]
    assert any("unreachable" in e for e in errors)


def test_a_rejected_message_ends_dead_after_the_configured_attempts(
    webhook_campaign: Campaign, receiver: CrmReceiver, register: Register
) -> None:
    ctx, results = register(webhook_campaign, 2)
    bad = f"crm:{webhook_campaign.slug}:{results[0].registration_id}"
    receiver.state.reject_keys.add(bad)
    queue = OutboxQueue(ctx.engine)
    _drain_until(ctx, lambda: queue.depth()["dead"] == 1 and queue.depth()["delivered"] == 1)
    (dead,) = queue.messages("dead")
    assert dead.key == bad and dead.attempts == FAST.max_attempts
    assert dead.last_error is not None and "HTTP 422" in dead.last_error
    attempts = [r for r in receiver.state.requests if r.headers.get("Idempotency-Key") == bad]
    assert len(attempts) == FAST.max_attempts


def test_429_retry_after_is_respected(
    webhook_campaign: Campaign, receiver: CrmReceiver, register: Register
) -> None:
    ctx, _ = register(webhook_campaign, 1)
    receiver.state.mode = "429"
    receiver.state.retry_after = "30"
    fast_worker(ctx).run_once()
    (info,) = OutboxQueue(ctx.engine).messages()
    assert info.state == "pending" and info.next_attempt_at is not None
    assert info.next_attempt_at.timestamp() - time.time() >= 28


def test_rate_limiter_spaces_requests() -> None:
    now = [0.0]
    slept: list[float] = []

    def sleep(s: float) -> None:
        slept.append(s)
        now[0] += s

    limiter = RateLimiter(4, clock=lambda: now[0], sleep=sleep)
    for _ in range(5):
        limiter.acquire()
    assert now[0] == pytest.approx(1.0)  # the first is free, then 4 more at 4/s
    limiter.pause(10)
    limiter.acquire()
    assert now[0] >= 11.0


@pytest.mark.parametrize("entity", ["lead", "contact"])
def test_bitrix24_creates_then_updates_the_winner_by_its_id(
    tmp_path: Path,
    receiver: CrmReceiver,
    register: Register,
    monkeypatch: pytest.MonkeyPatch,
    entity: str,
) -> None:
    monkeypatch.setenv("TEST_CRM_SECRET", "7/abcdef123456")
    receiver.state.secret = None
    campaign = with_crm(
        copy_example("bottle-caps", tmp_path / "b"), "bitrix24", receiver.url, entity=entity
    )
    ctx, results = register(campaign, 1)
    reg = results[0].registration_id
    assert reg is not None
    with ctx.engine.begin() as conn:
        prize = campaign.prizes[0].id
        enqueue_winner_update(conn, campaign, registration_id=reg, prize_id=prize, draw_id="d1")
        enqueue_winner_update(conn, campaign, registration_id=reg, prize_id=prize, draw_id="d1")
    queue = OutboxQueue(ctx.engine)
    _drain_until(ctx, lambda: queue.depth()["delivered"] == 2)
    paths = [r.path for r in receiver.state.accepted.values()]
    assert paths == [
        f"/rest/7/abcdef123456/crm.{entity}.add.json",
        f"/rest/7/abcdef123456/crm.{entity}.update.json",
    ]
    created, update = receiver.state.accepted.values()
    assert created.json()["fields"]["ORIGIN_ID"] == reg
    assert update.json()["id"] == "1001"
    assert [m.topic for m in queue.messages()].count(TOPIC_WINNER) == 1


def test_amocrm_sends_the_token_and_the_complex_lead(
    tmp_path: Path, receiver: CrmReceiver, register: Register, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AMOCRM_TOKEN", "amo-long-lived-token")  # the example's secret_ref
    receiver.state.secret = None
    caps = copy_example("bottle-caps", tmp_path / "a")
    monkeypatch.setenv("CAMPAIGNCTL_CRM_URL", receiver.url)  # the spec keeps its https URL
    campaign = caps
    ctx, results = register(campaign, 1)
    queue = OutboxQueue(ctx.engine)
    _drain_until(ctx, lambda: queue.depth()["delivered"] == 1)
    (sent,) = receiver.state.accepted.values()
    assert sent.path == "/api/v4/leads/complex"
    assert sent.headers["Authorization"] == "Bearer amo-long-lived-token"
    lead = sent.json()[0]
    assert lead["pipeline_id"] == 8123456 and results[0].registration_id in lead["name"]


def test_crm_secret_missing_is_a_retried_failure_with_a_clear_error(
    webhook_campaign: Campaign, register: Register, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx, _ = register(webhook_campaign, 1)
    monkeypatch.delenv("TEST_CRM_SECRET")
    fast_worker(ctx).run_once()
    (info,) = OutboxQueue(ctx.engine).messages()
    assert info.state == "pending"
    assert info.last_error is not None and "TEST_CRM_SECRET" in info.last_error


def test_csv_export_collects_spooled_rows_once(
    tmp_path: Path, register: Register, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEST_CRM_SECRET", "unused")
    campaign = with_crm(copy_example("bottle-caps", tmp_path / "c"), "csv", "https://x.example")
    ctx, _ = register(campaign, 3)
    assert fast_worker(ctx).drain().delivered == 3
    # An export that died after moving the rows is finished by the next one.
    spool = export_dir(campaign) / "spool"
    batch = export_dir(campaign) / "batch-19990101-000000"
    batch.mkdir()
    first = sorted(spool.glob("*.json"))[0]
    first.rename(batch / first.name)
    files = export_csv(campaign)
    assert files[0].name == "crm-19990101-000000.csv"
    lines = [f.read_text(encoding="utf-8-sig").splitlines() for f in files]
    rows = [row for text in lines for row in text[1:]]
    assert len(rows) == 3 and all(text[0].startswith("phone;") for text in lines)
    assert export_csv(campaign) == []
    assert not list(spool.glob("*.json"))
    assert json.dumps(rows, ensure_ascii=False).count("+7916") == 3
