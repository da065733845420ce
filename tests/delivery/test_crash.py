"""The crash test: kill -9 the local stack mid-load, restart it with ``campaignctl up``.

Every registration that got a 2xx is in the database once, and every
registration in the database reaches the CRM (a receiver on 127.0.0.1 that
dedupes by Idempotency-Key) exactly once, although the server and its worker
died holding requests and deliveries.
"""

from __future__ import annotations

import csv
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import func, select

from campaignctl.queue.tables import outbox
from campaignctl.runtime.process import running
from campaignctl.spec import load_campaign
from campaignctl.state import database_url
from campaignctl.store import open_engine
from campaignctl.store.runtime_tables import registrations
from tests.conftest import ROOT, free_port
from tests.delivery.receiver import CrmReceiver, CrmState

CLI = [sys.executable, "-m", "campaignctl"]


def _post(base: str, code: str, phone: str) -> tuple[int, dict[str, object]]:
    body = json.dumps({"code": code, "phone": phone, "consent": True, "age_confirmed": True})
    request = urllib.request.Request(  # noqa: S310 - http://127.0.0.1
        f"{base}/api/v1/registrations",
        data=body.encode(),
        headers={"Content-Type": "application/json", "Accept": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as exc:
        return exc.code, {}
    except (urllib.error.URLError, http.client.HTTPException, ConnectionError, TimeoutError):
        # Refused, reset, or the answer cut off mid-body by the kill: no answer.
        return 0, {}


@pytest.mark.slow
def test_kill_9_mid_load_loses_nothing_and_delivers_once(tmp_path: Path) -> None:  # noqa: PLR0915 - one story
    folder = tmp_path / "caps"
    shutil.copytree(
        ROOT / "examples" / "bottle-caps",
        folder,
        ignore=shutil.ignore_patterns(".campaignctl", "build", "print"),
    )
    spec = folder / "campaign.yaml"
    text = spec.read_text(encoding="utf-8")
    spec.write_text(
        text.replace(
            "max_attempts_per_ip_per_hour: 60", "max_attempts_per_ip_per_hour: 100000"
        ).replace("rate_limit_per_second: 5", "rate_limit_per_second: 100"),
        encoding="utf-8",
    )
    crm = CrmReceiver(CrmState(delay=0.03)).start()
    env = {
        **os.environ,
        "CAMPAIGNCTL_CRM_URL": crm.url,
        "AMOCRM_TOKEN": "crash-test-token",
        "CAMPAIGNCTL_QUEUE_LEASE_SECONDS": "3",
        "CAMPAIGNCTL_QUEUE_BASE_SECONDS": "0.2",
        "CAMPAIGNCTL_QUEUE_CAP_SECONDS": "1",
        "CAMPAIGNCTL_QUEUE_BATCH": "5",
    }
    env.pop("CAMPAIGNCTL_DATABASE_URL", None)
    subprocess.run(
        [*CLI, "codes", "generate", str(spec), "--batch", "load", "--count", "200"],
        env=env,
        check=True,
        capture_output=True,
    )
    codes = [
        row["code"]
        for path in sorted((folder / "print" / "load").glob("*.csv"))
        for row in csv.DictReader(path.open(encoding="utf-8"))
    ]
    assert len(codes) == 200
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    up = [*CLI, "up", str(spec), "--detach", "--port", str(port), "--clock", "start"]
    subprocess.run(up, env=env, check=True, capture_output=True, timeout=120)
    # From here on a server may run: stop it whatever happens, or it outlives the test.
    try:
        campaign = load_campaign(spec)

        accepted: dict[str, str] = {}  # code -> registration id, for every 201
        unanswered: list[tuple[str, str]] = []
        lock = threading.Lock()
        killed = threading.Event()

        def load(part: list[tuple[str, str]]) -> None:
            for code, phone in part:
                status, body = _post(base, code, phone)
                with lock:
                    if status == 201:
                        accepted[code] = str(body["id"])
                    else:
                        unanswered.append((code, phone))
                    # Kill once the worker is busy delivering, so it dies holding messages.
                    busy = len(crm.state.accepted) >= 5
                    if len(accepted) >= 60 and busy and not killed.is_set():
                        killed.set()
                        server = running(campaign)
                        assert server is not None
                        os.kill(server.pid, signal.SIGKILL)  # the server and its worker, mid-load
                time.sleep(0.02)  # participants, not a flood: the worker gets its turns

        work = [(code, f"+7916{i:07d}") for i, code in enumerate(codes)]
        first, rest = work[:140], work[140:]
        threads = [threading.Thread(target=load, args=(first[i::4],)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert killed.is_set(), (len(accepted), len(unanswered), len(crm.state.requests))
        delivered_before = len(crm.state.accepted)
        engine = open_engine(database_url(folder))
        with engine.connect() as conn:
            at_kill = dict(
                conn.execute(select(outbox.c.state, func.count()).group_by(outbox.c.state)).all()
            )
        engine.dispose()
        subprocess.run(up, env=env, check=True, capture_output=True, timeout=120)
        # Participants retry what got no answer (some did commit: 409), then the rest.
        load(unanswered[:])
        load(rest)
        engine = open_engine(database_url(folder))
        with engine.connect() as conn:
            stored = dict(
                conn.execute(select(registrations.c.id, registrations.c.code_serial)).all()
            )
            serials = conn.execute(
                select(func.count(func.distinct(registrations.c.code_serial)))
            ).scalar_one()
        deadline = time.monotonic() + 90
        while len(crm.state.accepted) < len(stored) and time.monotonic() < deadline:
            time.sleep(0.5)
        engine.dispose()
    finally:
        subprocess.run(
            [*CLI, "stop", str(spec)], check=False, env=env, capture_output=True, timeout=60
        )
        crm.stop()
    assert set(accepted.values()) <= set(stored)  # every 2xx is stored
    assert serials == len(stored)  # no code registered twice
    assert len(stored) >= 190  # what got no 2xx was retried
    expected = {f"crm:{campaign.slug}:{rid}" for rid in stored}
    assert set(crm.state.accepted) == expected  # each reached the CRM, once
    assert delivered_before < len(stored)
    print(
        f"crash test: at the kill {at_kill}; {len(accepted)} answered 2xx, {len(stored)} stored, "
        f"{len(crm.state.duplicates)} redeliveries dropped by the receiver's idempotency check"
    )
