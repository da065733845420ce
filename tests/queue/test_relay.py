"""The outbox relay against moto's SQS server over real HTTP, the outbox on SQLite."""

from __future__ import annotations

import json
import threading
import time
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from campaignctl.queue import Message, OutboxQueue, RetryPolicy
from campaignctl.queue.relay import Relay, route
from campaignctl.queue.sqs import SqsQueue, sqs_client
from tests.queue.conftest import outbox_queue, payload

FAST = RetryPolicy(max_attempts=3, base_seconds=0.01, cap_seconds=0.05, lease_seconds=1, batch=7)
LEASED = replace(FAST, lease_seconds=3)


def _client(endpoint: str) -> Any:
    return sqs_client(endpoint, region="us-east-1", access_key="test", secret_key="test")


def _queues(endpoint: str, *, fifo: bool) -> dict[str, SqsQueue]:
    client = _client(endpoint)
    tag = uuid.uuid4().hex[:10]
    return {w: SqsQueue.create(client, f"{w}-{tag}", fifo=fifo) for w in ("crm", "sms")}


def _bodies(queue: SqsQueue) -> list[dict[str, Any]]:
    """Every message in the queue once (received and deleted)."""
    found: list[dict[str, Any]] = []
    while True:
        got = queue.client.receive_message(
            QueueUrl=queue.queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=0
        ).get("Messages", [])
        if not got:
            return found
        for raw in got:
            found.append(json.loads(raw["Body"]))
            queue.client.delete_message(
                QueueUrl=queue.queue_url, ReceiptHandle=raw["ReceiptHandle"]
            )


@pytest.fixture
def outbox(tmp_path: Path) -> OutboxQueue:
    return outbox_queue(tmp_path)


def _fill(outbox: OutboxQueue, crm: int, sms: int) -> None:
    for n in range(crm):
        outbox.enqueue("crm.registration", f"crm:{n}", payload(n))
    for n in range(sms):
        outbox.enqueue("sms.send", f"sms:{n}", payload(100 + n))


def test_routes_by_the_topic_s_first_part() -> None:
    assert route("crm.registration") == route("crm.winner") == "crm"
    assert route("sms.send") == "sms"
    assert route("plain") == "plain"


@pytest.mark.parametrize("fifo", [False, True], ids=["standard", "fifo"])
def test_messages_reach_their_topic_s_queue_once(
    outbox: OutboxQueue, sqs_endpoint: str, fifo: bool
) -> None:
    _fill(outbox, crm=23, sms=4)  # 23 > two SendMessageBatch calls of 10
    queues = _queues(sqs_endpoint, fifo=fifo)
    tally = Relay(outbox, queues, policy=FAST).run(seconds=30)
    assert (tally.relayed, tally.retried, tally.dead) == (27, 0, 0)
    crm, sms = _bodies(queues["crm"]), _bodies(queues["sms"])
    assert sorted(b["key"] for b in crm) == sorted(f"crm:{n}" for n in range(23))
    assert sorted(b["key"] for b in sms) == [f"sms:{n}" for n in range(4)]
    assert {b["topic"] for b in crm} == {"crm.registration"}
    assert next(b for b in sms if b["key"] == "sms:2")["payload"] == payload(102)
    assert outbox.depth()["delivered"] == 27
    assert Relay(outbox, queues, policy=FAST).run(seconds=5).claimed == 0  # nothing left


def test_a_fifo_queue_carries_the_key_as_deduplication_id(
    outbox: OutboxQueue, sqs_endpoint: str
) -> None:
    _fill(outbox, crm=1, sms=0)
    queues = _queues(sqs_endpoint, fifo=True)
    Relay(outbox, queues, policy=FAST).run(seconds=5)
    (raw,) = queues["crm"].client.receive_message(
        QueueUrl=queues["crm"].queue_url, MessageSystemAttributeNames=["All"]
    )["Messages"]
    attributes = raw["Attributes"]
    assert attributes["MessageDeduplicationId"] == _sha256("crm:0")
    assert attributes["MessageGroupId"] == _sha256("crm:0")[:64]


def _sha256(text: str) -> str:
    import hashlib  # noqa: PLC0415

    return hashlib.sha256(text.encode()).hexdigest()


class Crash(BaseException):
    """The function is killed: nothing after this point runs (not an Exception)."""


class CrashingAck(OutboxQueue):
    """An outbox whose process dies right after the service accepted a send."""

    def ack(self, message: Message) -> None:
        raise Crash(message.key)


@pytest.mark.parametrize("fifo", [False, True], ids=["standard", "fifo"])
def test_a_crash_between_send_and_mark_sends_again(
    outbox: OutboxQueue, sqs_endpoint: str, fifo: bool
) -> None:
    _fill(outbox, crm=1, sms=0)
    queues = _queues(sqs_endpoint, fifo=fifo)
    dying = CrashingAck(outbox.engine)
    with pytest.raises(Crash):
        Relay(dying, queues, policy=LEASED).run(seconds=5)
    assert outbox.depth()["in_flight"] == 1  # sent, never marked
    # The dead relay's lease: long enough that it cannot run out before the check on a
    # loaded machine, then waited for.
    assert Relay(outbox, queues, policy=FAST).run(seconds=5).claimed == 0  # leased
    time.sleep(LEASED.lease_seconds + 0.2)
    assert Relay(outbox, queues, policy=FAST).run(seconds=5).relayed == 1
    keys = [b["key"] for b in _bodies(queues["crm"])]
    # FIFO: the service drops the resend inside its five-minute window. Standard
    # queues (what triggers read) hold both; the receiver's Idempotency-Key drops one.
    assert keys == (["crm:0"] if fifo else ["crm:0", "crm:0"])
    assert outbox.depth()["delivered"] == 1


def test_a_refused_send_is_retried_then_buried(outbox: OutboxQueue, sqs_endpoint: str) -> None:
    _fill(outbox, crm=2, sms=1)
    queues = _queues(sqs_endpoint, fifo=False)
    gone = SqsQueue(_client(sqs_endpoint), queues["crm"].queue_url + "-deleted", "")
    broken = {"crm": gone, "sms": queues["sms"]}
    first = Relay(outbox, broken, policy=FAST).run(seconds=5, limit=3)
    assert (first.relayed, first.retried) == (1, 2)  # sms went; crm refused
    assert all("relay to Message Queue" in e for e in first.errors)
    for _ in range(FAST.max_attempts):
        time.sleep(0.1)
        Relay(outbox, broken, policy=FAST).run(seconds=5)
    dead = outbox.messages("dead")
    assert sorted(d.key for d in dead) == ["crm:0", "crm:1"]
    assert all(d.attempts == FAST.max_attempts for d in dead)
    assert outbox.retry_dead() == 2  # `campaignctl queue retry`, once the queue is back
    assert Relay(outbox, queues, policy=FAST).run(seconds=5).relayed == 2
    assert sorted(b["key"] for b in _bodies(queues["crm"])) == ["crm:0", "crm:1"]


def test_topics_without_a_queue_are_delivered_by_local_handlers(
    outbox: OutboxQueue, sqs_endpoint: str
) -> None:
    _fill(outbox, crm=2, sms=1)
    queues = {"sms": _queues(sqs_endpoint, fifo=False)["sms"]}
    spooled: list[str] = []
    local = {"crm.registration": lambda m: spooled.append(m.key)}
    tally = Relay(outbox, queues, local=local, policy=FAST).run(seconds=5)
    assert (tally.relayed, tally.local.delivered) == (1, 2)
    assert sorted(spooled) == ["crm:0", "crm:1"]
    assert [b["key"] for b in _bodies(queues["sms"])] == ["sms:0"]


def test_two_relays_at_once_send_each_message_once(outbox: OutboxQueue, sqs_endpoint: str) -> None:
    _fill(outbox, crm=60, sms=0)
    queues = _queues(sqs_endpoint, fifo=False)  # no service dedupe: a double send would show
    policy = RetryPolicy(max_attempts=3, lease_seconds=60, batch=5)
    relays = [Relay(outbox, queues, policy=policy) for _ in range(2)]
    tallies: list[int] = []
    threads = [
        threading.Thread(target=lambda r=r: tallies.append(r.run(30).relayed)) for r in relays
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(tallies) == 60
    keys = [b["key"] for b in _bodies(queues["crm"])]
    assert sorted(keys) == sorted(f"crm:{n}" for n in range(60))


def test_a_run_stops_at_its_limit_and_its_time(outbox: OutboxQueue, sqs_endpoint: str) -> None:
    _fill(outbox, crm=20, sms=0)
    queues = _queues(sqs_endpoint, fifo=False)
    assert Relay(outbox, queues, policy=FAST).run(seconds=30, limit=9).relayed == 9
    ticks = iter([0.0, 0.0, 100.0])  # the second batch starts after the deadline
    stopped = Relay(outbox, queues, policy=FAST, monotonic=lambda: next(ticks)).run(seconds=10)
    assert stopped.relayed == FAST.batch
    assert outbox.depth()["pending"] == 20 - 9 - FAST.batch
