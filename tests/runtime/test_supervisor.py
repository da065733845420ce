"""The local server as a supervisor and HTTP workers: one port, exactly once, restarts, stops."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from campaignctl.runtime import ports
from campaignctl.runtime.process import healthy, running
from campaignctl.spec import load_campaign
from tests.conftest import free_port
from tests.delivery.receiver import CrmReceiver, CrmState
from tests.runtime.conftest import copy_example

CLI = [sys.executable, "-m", "campaignctl"]
pytestmark = pytest.mark.slow


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _wait(predicate: object, seconds: float = 15.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return True
        time.sleep(0.1)
    return False


def _post(base: str, code: str, phone: str) -> int:
    body = json.dumps({"code": code, "phone": phone, "consent": True, "age_confirmed": True})
    request = urllib.request.Request(  # noqa: S310 - http://127.0.0.1
        f"{base}/api/v1/registrations",
        data=body.encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
            return int(answer.status)
    except urllib.error.HTTPError as exc:
        return exc.code


class Stack:
    def __init__(self, folder: Path, port: int, env: dict[str, str]) -> None:
        self.folder = folder
        self.spec = folder / "campaign.yaml"
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.env = env
        self.up = [*CLI, "up", str(self.spec), "--detach", "--port", str(port), "--clock", "start"]

    @property
    def pid(self) -> int:
        found = running(load_campaign(self.spec))
        assert found is not None
        return found.pid


@pytest.fixture
def crm() -> Iterator[CrmReceiver]:
    receiver = CrmReceiver(CrmState()).start()
    try:
        yield receiver
    finally:
        receiver.stop()


@pytest.fixture
def stack(tmp_path: Path, crm: CrmReceiver) -> Iterator[Stack]:
    folder = tmp_path / "caps"
    copy_example("bottle-caps", folder)
    spec = folder / "campaign.yaml"
    spec.write_text(
        spec.read_text(encoding="utf-8")
        .replace("max_attempts_per_ip_per_hour: 60", "max_attempts_per_ip_per_hour: 100000")
        .replace("rate_limit_per_second: 5", "rate_limit_per_second: 100"),
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if k != "CAMPAIGNCTL_DATABASE_URL"}
    env |= {"CAMPAIGNCTL_CRM_URL": crm.url, "AMOCRM_TOKEN": "supervisor-test-token"}
    subprocess.run(
        [*CLI, "codes", "generate", str(spec), "--batch", "w", "--count", "120"],
        env=env,
        check=True,
        capture_output=True,
    )
    started = Stack(folder, free_port(), env)
    subprocess.run(
        [*started.up, "--workers", "2"], env=env, check=True, capture_output=True, timeout=120
    )
    try:
        yield started
    finally:
        subprocess.run(
            [*CLI, "stop", str(spec)], check=False, env=env, capture_output=True, timeout=60
        )


def _codes(stack: Stack) -> list[str]:
    return [
        row["code"]
        for path in sorted((stack.folder / "print" / "w").glob("*.csv"))
        for row in csv.DictReader(path.open(encoding="utf-8"))
    ]


def test_two_workers_register_exactly_once_and_restart(stack: Stack, crm: CrmReceiver) -> None:
    supervisor = stack.pid
    workers = _children(supervisor)
    assert len(workers) == 2
    codes = _codes(stack)
    # One code from 100 clients at once, spread over both workers: one 201.
    with ThreadPoolExecutor(50) as pool:
        same = Counter(pool.map(lambda i: _post(stack.base, codes[0], f"+7916{i:07d}"), range(100)))
        fresh = Counter(
            pool.map(lambda i: _post(stack.base, codes[1 + i], f"+7926{i:07d}"), range(100))
        )
    assert same == Counter({201: 1, 409: 99})
    assert fresh == Counter({201: 100})
    # The supervisor runs the jobs: every registration reaches the CRM.
    assert _wait(lambda: len(crm.state.accepted) == 101, 60.0), len(crm.state.accepted)
    # A worker that dies is replaced; the port keeps answering.
    os.kill(workers[0], signal.SIGKILL)
    assert _wait(
        lambda: len(_children(supervisor)) == 2 and workers[0] not in _children(supervisor)
    )
    assert _wait(lambda: _post(stack.base, codes[110], "+79990000001") == 201)
    assert running(load_campaign(stack.spec)) is not None


def test_kill_9_of_the_supervisor_takes_its_workers(stack: Stack) -> None:
    supervisor = stack.pid
    workers = _children(supervisor)
    assert len(workers) == 2
    os.kill(supervisor, signal.SIGKILL)
    # A killed process's main thread is a zombie at once; its other threads let go
    # of the process's files (the listening socket) only as they finish exiting.
    # Wait for that, and see that nobody but the dying processes held the port
    # meanwhile: no grandchild inherited the socket.
    seen: set[int] = set()

    def released() -> bool:
        found = ports.holders("127.0.0.1", stack.port)
        seen.update(holder.pid for holder in found)
        return not found

    assert _wait(released, 30.0), ports.holders("127.0.0.1", stack.port)
    assert seen <= {supervisor, *workers}
    assert not any(_alive(pid) for pid in [supervisor, *workers])
    assert not healthy(stack.base, timeout=1.0)
    assert ports.bindable("127.0.0.1", stack.port)
    # `up` after the crash: server.json names a dead (zombie) supervisor, not a
    # running server, and the port binds at once.
    again = subprocess.run(
        [*stack.up, "--workers", "2"],
        env=stack.env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert again.returncode == 0, again.stderr
    assert "Stopped the running server" not in again.stdout
    assert healthy(stack.base) and stack.pid != supervisor


def test_stop_ends_workers_and_supervisor(stack: Stack) -> None:
    supervisor = stack.pid
    workers = _children(supervisor)
    stopped = subprocess.run(
        [*CLI, "stop", str(stack.spec)], check=False, capture_output=True, text=True, timeout=60
    )
    assert stopped.returncode == 0, stopped.stderr
    assert "Stopped." in stopped.stdout
    assert not any(_alive(pid) for pid in [supervisor, *workers])
    assert running(load_campaign(stack.spec)) is None


def test_a_worker_that_cannot_start_stops_the_server(stack: Stack) -> None:
    supervisor = stack.pid
    # The spec is edited into something invalid: every new worker fails to load it.
    stack.spec.write_text("campaign: [", encoding="utf-8")
    for pid in _children(supervisor):
        os.kill(pid, signal.SIGKILL)
    # Their replacements fail on their own, are replaced three times, then it gives up.
    assert _wait(lambda: not _alive(supervisor), 60.0)
    log = (stack.folder / ".campaignctl" / "server.log").read_text(encoding="utf-8")
    assert "HTTP worker:" in log  # the worker said why, without a traceback
    assert "stopping the server" in log
    assert "Traceback" not in log
