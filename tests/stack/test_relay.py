"""The cloud delivery path end to end: API Gateway → outbox → relay → Message Queue → trigger → CRM.

The functions run in this process through their entry points (``handler.http``,
``handler.relay``, ``handler.queue``) with the cold start of the handler tests
(packaged bottle-caps campaign, codes key from a KMS emulator on 127.0.0.1,
SQLite as the database). The queues are standard queues with a redrive policy
on moto's SQS server (real HTTP), as the stack makes them; a trigger emulator
feeds them to ``handler.queue``; the CRM is a local amoCRM-speaking receiver.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select

from campaignctl.delivery.sms import enqueue_sms
from campaignctl.delivery.tables import sms_messages
from campaignctl.queue import Message, OutboxQueue
from campaignctl.queue.sqs import SqsQueue, sqs_client
from campaignctl.stack.yandex import handler, mq
from campaignctl.stack.yandex.functions import secret_variable
from campaignctl.stack.yandex.naming import queue_url_variable
from campaignctl.stack.yandex.queues import MAX_RECEIVES
from campaignctl.stack.yandex.vault import aad_context
from tests.delivery.receiver import CrmReceiver, CrmState
from tests.queue.conftest import sqs_endpoint  # noqa: F401 - fixture
from tests.stack.test_handler import (  # noqa: F401 - fixtures
    CONTEXT,
    Kms,
    _body,
    _event,
    function,
    kms,
)
from tests.stack.ymq_trigger import fire

TICK = "timer_tick.json"


@pytest.fixture
def cloud(
    function: dict[str, Any],  # noqa: F811
    kms: Kms,  # noqa: F811
    sqs_endpoint: str,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[dict[str, Any]]:
    """The handler fixture plus the stack's two queues, the relay's settings and a CRM."""
    crm = CrmReceiver(CrmState()).start()
    monkeypatch.setenv("CAMPAIGNCTL_CRM_URL", crm.url)  # the spec keeps its https URL
    monkeypatch.setenv("AMOCRM_TOKEN", "amo-long-lived-token")  # the example's secret_ref
    client = sqs_client(sqs_endpoint, region="us-east-1", access_key="test", secret_key="test")
    tag = uuid.uuid4().hex[:8]
    queues = {
        worker: SqsQueue.create(
            client, f"caps-{worker}-{tag}", fifo=False, max_receives=MAX_RECEIVES
        )
        for worker in ("crm", "sms")
    }
    for worker, queue in queues.items():
        monkeypatch.setenv(queue_url_variable(worker), queue.queue_url)
    slug = function["campaign"].slug
    monkeypatch.setenv(mq.ENDPOINT_ENV, sqs_endpoint)
    monkeypatch.setenv(mq.REGION_ENV, "us-east-1")  # moto knows AWS regions only
    monkeypatch.setenv(mq.ACCESS_KEY_ENV, "test")
    monkeypatch.setenv(
        secret_variable("static_secret_key"),
        kms.seal(aad_context(slug, "static_secret_key"), "test"),
    )
    yield {**function, "crm": crm, "queues": queues}
    crm.stop()


def _register(cloud: dict[str, Any], n: int) -> list[str]:
    """``n`` registrations through API Gateway; their CRM idempotency keys."""
    for code in cloud["codes"][:n]:
        answer = handler.http(_event("apigw_registration_post.json", _body(code)), CONTEXT)
        assert answer["statusCode"] == 201, answer["body"]
    return [m.key for m in OutboxQueue(cloud["engine"]).messages("pending")]


def _trigger_until_empty(queue: SqsQueue, rounds: int = 20) -> None:
    for _ in range(rounds):
        if fire(queue, handler.queue, CONTEXT) == 0:
            return
    pytest.fail("the queue did not empty")


def test_registrations_reach_the_crm_once_through_the_relay(cloud: dict[str, Any]) -> None:
    crm_keys = _register(cloud, 3)
    assert len(crm_keys) == 3 and all(k.startswith("crm:") for k in crm_keys)
    running = handler.runtime(CONTEXT).campaign
    with cloud["engine"].begin() as conn:
        enqueue_sms(conn, running, key="sms-e2e-1", phone="+79001234567", text="Код принят.")
    assert cloud["crm"].state.requests == []  # nothing leaves before the relay runs

    assert handler.relay(_event(TICK), CONTEXT) == {
        "relayed": 4,
        "delivered": 0,
        "retried": 0,
        "dead": 0,
    }
    assert OutboxQueue(cloud["engine"]).depth()["delivered"] == 4
    assert handler.relay(_event(TICK), CONTEXT)["relayed"] == 0  # idempotent: nothing due

    _trigger_until_empty(cloud["queues"]["crm"])
    _trigger_until_empty(cloud["queues"]["sms"])
    state = cloud["crm"].state
    assert sorted(state.accepted) == sorted(crm_keys)
    assert state.duplicates == []
    assert all(r.headers["Authorization"] == "Bearer amo-long-lived-token" for r in state.requests)
    with cloud["engine"].connect() as conn:
        sent = conn.execute(
            select(func.count()).where(sms_messages.c.external_id == "sms-e2e-1")
        ).scalar()
    assert sent == 1


class Crash(BaseException):
    """The relay function is killed after Message Queue accepted the batch."""


def test_a_relay_killed_after_sending_resends_and_the_crm_sees_each_once(
    cloud: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    crm_keys = _register(cloud, 2)
    monkeypatch.setenv("CAMPAIGNCTL_QUEUE_LEASE_SECONDS", "1")

    def killed(self: OutboxQueue, message: Message) -> None:
        raise Crash(message.key)

    with monkeypatch.context() as m:
        m.setattr(OutboxQueue, "ack", killed)
        with pytest.raises(Crash):
            handler.relay(_event(TICK), CONTEXT)
    # Both are in Message Queue; the outbox still has them in flight.
    assert OutboxQueue(cloud["engine"]).depth()["in_flight"] == 2
    _trigger_until_empty(cloud["queues"]["crm"])  # delivered before the resend comes

    time.sleep(1.2)  # the dead relay's lease runs out
    assert handler.relay(_event(TICK), CONTEXT)["relayed"] == 2
    _trigger_until_empty(cloud["queues"]["crm"])
    state = cloud["crm"].state
    assert sorted(state.accepted) == sorted(crm_keys)
    # The resent copies reached the worker and were dropped there: the registration
    # already has its CRM record, so amoCRM was not asked again.
    assert state.duplicates == []
    assert len([r for r in state.requests if r.method == "POST"]) == len(crm_keys)


def test_a_message_the_crm_rejects_ends_in_the_dead_letter_queue(cloud: dict[str, Any]) -> None:
    crm_keys = _register(cloud, 2)
    rejected, accepted = crm_keys
    cloud["crm"].state.reject_keys.add(rejected)  # 422 every time
    assert handler.relay(_event(TICK), CONTEXT)["relayed"] == 2
    queue = cloud["queues"]["crm"]
    rounds = 0
    while fire(queue, handler.queue, CONTEXT, batch_size=1) and rounds < 3 * MAX_RECEIVES:
        rounds += 1
    assert sorted(cloud["crm"].state.accepted) == [accepted]
    # One refused request per receive (a retry looks the lead up first), then no more.
    tries = [r for r in cloud["crm"].state.requests if r.headers.get("Idempotency-Key") == rejected]
    assert len(tries) == MAX_RECEIVES
    (dead,) = queue.messages("dead")  # the SQS backend lists the dead-letter queue
    assert (dead.key, dead.topic, dead.state) == (rejected, "crm.registration", "dead")
    assert queue.depth()["pending"] == 0
