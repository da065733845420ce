"""The outbox's own promises: it commits with its caller, and its tables match the migration."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import inspect

from campaignctl.delivery.tables import crm_records, sms_messages
from campaignctl.queue import OutboxQueue, RetryPolicy, Worker, enqueue
from campaignctl.queue.tables import outbox
from campaignctl.store import open_engine, upgrade
from tests.queue.conftest import outbox_queue, payload
from tests.store.conftest import mariadb_url, postgres_url


def test_migration_creates_the_declared_tables(tmp_path: Path) -> None:
    q = outbox_queue(tmp_path)
    inspector = inspect(q.engine)
    for table in (outbox, sms_messages, crm_records):
        assert {c["name"] for c in inspector.get_columns(table.name)} == {
            c.name for c in table.columns
        }
    q.engine.dispose()


def test_a_message_commits_or_rolls_back_with_its_caller(tmp_path: Path) -> None:
    q = outbox_queue(tmp_path)

    class Abort(Exception):
        pass

    with pytest.raises(Abort), q.engine.begin() as conn:
        assert enqueue(conn, "t", "rolled-back", payload(1))
        raise Abort
    with q.engine.begin() as conn:
        assert enqueue(conn, "t", "kept", payload(2))
        assert not enqueue(conn, "t", "kept", payload(3))
    assert [m.key for m in q.messages()] == ["kept"]
    q.engine.dispose()


def test_a_fake_clock_drives_backoff_and_leases(tmp_path: Path) -> None:
    now = [1_000_000.0]
    q = outbox_queue(tmp_path)
    q = OutboxQueue(q.engine, clock=lambda: now[0])
    q.enqueue("t", "k", payload(1))
    policy = RetryPolicy(max_attempts=2, base_seconds=100, cap_seconds=100, lease_seconds=60)

    def fail(_message: object) -> None:
        raise RuntimeError("connection refused")

    worker = Worker(q, {"t": fail}, policy)
    assert worker.run_once().retried == 1
    (info,) = q.messages()
    assert info.state == "pending" and info.attempts == 1
    assert info.last_error == "attempt 1: RuntimeError: connection refused"
    assert info.next_attempt_at is not None
    assert 0 <= info.next_attempt_at.timestamp() - now[0] <= 100
    now[0] += 101
    assert worker.run_once().dead == 1
    assert q.depth()["dead"] == 1
    q.engine.dispose()


def _concurrent_claims(url: str) -> None:
    engine = open_engine(url)
    upgrade(engine)
    queue = OutboxQueue(engine)
    for n in range(60):
        queue.enqueue("t", f"k{n}", payload(n))
    got: list[str] = []
    lock = threading.Lock()

    def claim() -> None:
        while batch := queue.claim(4, 60):
            with lock:
                got.extend(m.key for m in batch)
            for m in batch:
                queue.ack(m)

    threads = [threading.Thread(target=claim) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(got) == sorted(f"k{n}" for n in range(60))
    assert queue.depth()["delivered"] == 60
    engine.dispose()


@pytest.mark.postgres
def test_skip_locked_claims_on_postgres() -> None:
    with postgres_url() as url:
        _concurrent_claims(url)


@pytest.mark.mariadb
def test_skip_locked_claims_on_mariadb() -> None:
    with mariadb_url() as url:
        _concurrent_claims(url)
