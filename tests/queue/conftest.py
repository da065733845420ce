"""Both queue backends as one fixture: the outbox on SQLite, FIFO queues on moto's SQS server.

The SQS server is moto in server mode, a separate process listening on
127.0.0.1: boto3 talks real HTTP to it, as it would to Yandex Message Queue.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from campaignctl.queue import OutboxQueue, Queue
from campaignctl.queue.sqs import SqsQueue, sqs_client
from campaignctl.store import open_engine, upgrade
from tests.conftest import free_port


@pytest.fixture(scope="session")
def sqs_endpoint() -> Iterator[str]:
    pytest.importorskip("moto.server")
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail("moto server did not start")
            time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(10)


def sqs_queue(endpoint: str) -> SqsQueue:
    # moto knows AWS regions only; Yandex Message Queue uses ru-central1.
    client = sqs_client(endpoint, region="us-east-1", access_key="test", secret_key="test")
    return SqsQueue.create(client, f"q-{uuid.uuid4().hex[:12]}")


def outbox_queue(tmp_path: Path) -> OutboxQueue:
    engine = open_engine(f"sqlite:///{tmp_path / 'state.db'}")
    upgrade(engine)
    return OutboxQueue(engine)


@pytest.fixture(params=["outbox", "sqs"])
def queue(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Queue]:
    if request.param == "sqs":
        yield sqs_queue(request.getfixturevalue("sqs_endpoint"))
        return
    q = outbox_queue(tmp_path)
    yield q
    q.engine.dispose()


def payload(n: int) -> dict[str, Any]:
    return {"n": n, "text": "Код принят", "nested": {"ok": True}}
