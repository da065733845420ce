"""/admin and /metrics: 401 without the token, sessions, CSRF, moderation, the numbers shown."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from campaignctl.model.campaign import Campaign
from campaignctl.queue import OutboxQueue
from campaignctl.runtime.antifraud import flag
from campaignctl.runtime.app import create_app
from campaignctl.runtime.context import RuntimeContext
from campaignctl.runtime.form import Submission
from campaignctl.runtime.service import RegistrationService
from campaignctl.store.runtime_tables import fraud_flags, fraud_lockouts
from tests.runtime.conftest import issue_codes

TOKEN = "admin-token-for-tests-0123456789"


@pytest.fixture
def admin(caps: Campaign, make_context: Callable[..., RuntimeContext]) -> Iterator[TestClient]:
    ctx = make_context(caps, admin_token=TOKEN)
    assert ctx.ledger is not None
    service = RegistrationService(ctx)
    for i, code in enumerate(issue_codes(ctx.ledger, "dash", 3)):
        assert service.register(Submission(phone=f"+7916000000{i}", code=code)).status == 201
    queue = OutboxQueue(ctx.engine)
    (first, *_rest) = queue.claim(1, 60)
    queue.bury(first, "HTTP 422: rejected by the CRM")
    with ctx.engine.begin() as conn:
        flag(conn, "many_codes", "phone:abc123", "daily code limit", datetime.now(UTC))
    with TestClient(create_app(caps, context=ctx)) as client:
        client.ctx = ctx  # type: ignore[attr-defined]
        yield client


def _login(client: TestClient) -> None:
    answer = client.post("/admin/login", data={"token": TOKEN}, follow_redirects=False)
    assert answer.status_code == 303


def test_unauthenticated_requests_get_401(admin: TestClient) -> None:
    assert admin.get("/admin").status_code == 401
    assert "Sign in" in admin.get("/admin").text
    assert admin.get("/metrics").status_code == 401
    assert admin.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert admin.post("/admin/moderation/1", data={"action": "block"}).status_code == 401
    assert admin.post("/admin/login", data={"token": "nope"}).status_code == 401


def test_logins_are_rate_limited(admin: TestClient) -> None:
    codes = [admin.post("/admin/login", data={"token": "nope"}).status_code for _ in range(6)]
    assert codes == [401] * 5 + [429]


def test_the_dashboard_shows_the_campaign(admin: TestClient) -> None:
    _login(admin)
    page = admin.get("/admin")
    assert page.status_code == 200
    html = page.text
    assert re.search(r"id=total>3<", html)
    assert "<svg" in html and "dash" in html  # chart, batch
    assert "HTTP 422: rejected by the CRM" in html  # the dead letter
    assert "many_codes" in html and "csrf" in html


def test_moderation_needs_the_csrf_token_and_blocks(admin: TestClient) -> None:
    _login(admin)
    html = admin.get("/admin").text
    csrf = re.search(r'name=csrf value="([0-9a-f]+)"', html)
    assert csrf is not None
    flag_id = int(re.findall(r"/admin/moderation/(\d+)", html)[0])
    refused = admin.post(f"/admin/moderation/{flag_id}", data={"action": "block", "csrf": "x"})
    assert refused.status_code == 403
    done = admin.post(
        f"/admin/moderation/{flag_id}",
        data={"action": "block", "csrf": csrf.group(1)},
        follow_redirects=False,
    )
    assert done.status_code == 303
    ctx: RuntimeContext = admin.ctx  # type: ignore[attr-defined]
    with ctx.engine.connect() as conn:
        assert conn.execute(select(fraud_lockouts.c.subject)).scalars().all() == ["phone:abc123"]
        assert conn.execute(select(fraud_flags.c.resolved_at)).scalar() is not None
    assert "No open flags" in admin.get("/admin").text


def test_metrics_in_prometheus_text_format(admin: TestClient) -> None:
    answer = admin.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain; version=0.0.4")
    text = answer.text
    assert "# TYPE campaignctl_registrations_total counter" in text
    total = sum(
        float(m.group(1))
        for m in re.finditer(r"^campaignctl_registrations_total\{.*\} (\S+)$", text, re.M)
    )
    assert total == 3
    assert 'campaignctl_queue_messages{state="dead"} 1' in text
