"""One behaviour, two backends: every test here runs on the outbox and on SQS."""

from __future__ import annotations

import threading
import time

from campaignctl.queue import DeliveryFailed, Message, Queue, RetryPolicy, Worker
from tests.queue.conftest import payload


def test_a_message_travels_once_and_is_gone_after_ack(queue: Queue) -> None:
    queue.enqueue("crm.registration", "reg-1", payload(1))
    (message,) = queue.claim(10, 30)
    assert (message.topic, message.key, message.payload, message.attempt) == (
        "crm.registration",
        "reg-1",
        payload(1),
        1,
    )
    assert queue.claim(10, 30) == []  # leased
    queue.ack(message)
    assert queue.claim(10, 30) == []
    depth = queue.depth()
    assert depth["pending"] == depth["in_flight"] == depth["dead"] == 0


def test_a_second_message_with_the_same_key_is_dropped(queue: Queue) -> None:
    queue.enqueue("t", "same", payload(1))
    queue.enqueue("t", "same", payload(2))
    queue.enqueue("t", "other", payload(3))
    claimed = queue.claim(10, 30)
    assert sorted(m.key for m in claimed) == ["other", "same"]
    assert next(m for m in claimed if m.key == "same").payload == payload(1)


def test_a_lease_runs_out_and_the_message_comes_back(queue: Queue) -> None:
    queue.enqueue("t", "k", payload(1))
    # The worker "dies" holding it. The lease leaves a loaded machine 3 s between
    # the two claims (a 1 s lease could run out in between and hand it out again).
    (_first,) = queue.claim(10, 3)
    assert queue.claim(10, 1) == []
    time.sleep(3.3)
    (again,) = queue.claim(10, 30)
    assert (again.key, again.attempt) == ("k", 2)
    queue.ack(again)
    assert queue.claim(10, 1) == []


def test_retry_later_hides_the_message_for_the_delay(queue: Queue) -> None:
    queue.enqueue("t", "soon", payload(1))
    queue.enqueue("t", "later", payload(2))
    for m in queue.claim(10, 30):
        queue.retry_later(m, "503 Service Unavailable", 0 if m.key == "soon" else 600)
    (soon,) = queue.claim(10, 30)
    assert (soon.key, soon.attempt) == ("soon", 2)


def test_dead_letters_are_listed_retried_and_purged(queue: Queue) -> None:
    for n in range(3):
        queue.enqueue("t", f"k{n}", payload(n))
    claimed = {m.key: m for m in queue.claim(10, 30)}
    queue.bury(claimed["k0"], "422 rejected: phone")
    queue.bury(claimed["k1"], "422 rejected: name")
    queue.ack(claimed["k2"])
    dead = queue.messages("dead")
    assert sorted((d.key, d.last_error, d.state) for d in dead) == [
        ("k0", "422 rejected: phone", "dead"),
        ("k1", "422 rejected: name", "dead"),
    ]
    assert queue.depth()["dead"] == 2
    k1 = next(d.id for d in dead if d.key == "k1")
    assert queue.retry_dead([k1]) == 1
    (back,) = queue.claim(10, 30)
    assert (back.key, back.payload, back.attempt) == ("k1", payload(1), 1)
    queue.ack(back)
    assert [d.key for d in queue.messages("dead")] == ["k0"]
    assert queue.purge_dead() == 1
    assert queue.messages("dead") == []
    assert queue.depth()["dead"] == 0


def test_concurrent_workers_never_claim_the_same_message(queue: Queue) -> None:
    for n in range(40):
        queue.enqueue("t", f"k{n}", payload(n))
    got: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(4)

    def claim() -> None:
        barrier.wait()
        while batch := queue.claim(3, 60):
            with lock:
                got.extend(m.key for m in batch)
            for m in batch:
                queue.ack(m)

    threads = [threading.Thread(target=claim) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(got) == sorted(f"k{n}" for n in range(40))


def test_the_worker_retries_then_delivers_and_buries_what_always_fails(queue: Queue) -> None:
    queue.enqueue("flaky", "f", payload(1))
    queue.enqueue("broken", "b", payload(2))
    calls: dict[str, list[int]] = {"f": [], "b": []}

    def flaky(m: Message) -> None:
        calls["f"].append(m.attempt)
        if m.attempt < 3:
            raise DeliveryFailed("503")

    def broken(m: Message) -> None:
        calls["b"].append(m.attempt)
        raise DeliveryFailed("422 rejected")

    policy = RetryPolicy(max_attempts=3, base_seconds=0.01, cap_seconds=0.05, lease_seconds=30)
    worker = Worker(queue, {"flaky": flaky, "broken": broken}, policy)
    deadline = time.monotonic() + 20
    while (len(calls["f"]) < 3 or len(calls["b"]) < 3) and time.monotonic() < deadline:
        worker.run_once()
        time.sleep(0.05)
    assert calls == {"f": [1, 2, 3], "b": [1, 2, 3]}
    (dead,) = queue.messages("dead")
    assert dead.key == "b"
    assert dead.last_error is not None and "422 rejected" in dead.last_error
    assert queue.claim(10, 30) == []
