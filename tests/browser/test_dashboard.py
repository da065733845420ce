"""The live dashboard in a real Chromium, served by uvicorn on loopback, with a screenshot."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import uvicorn

from campaignctl.model.campaign import Campaign
from campaignctl.queue import OutboxQueue
from campaignctl.runtime import plugins
from campaignctl.runtime.antifraud import flag
from campaignctl.runtime.app import create_app
from campaignctl.runtime.context import RuntimeContext
from campaignctl.runtime.form import Submission
from campaignctl.runtime.service import RegistrationService
from tests.browser import tools
from tests.conftest import free_port
from tests.runtime.conftest import (  # noqa: F401 - fixtures
    caps,
    issue_codes,
    make_context,
)

TOKEN = "browser-admin-token-0123456789abcdef"


@pytest.fixture
def dashboard_url(
    caps: Campaign,  # noqa: F811 - the imported fixture
    make_context: Callable[..., RuntimeContext],  # noqa: F811 - the imported fixture
) -> Iterator[str]:
    plugins.install()  # the delivery hooks queue the CRM messages and SMS replies
    ctx = make_context(caps, admin_token=TOKEN)
    assert ctx.ledger is not None
    service = RegistrationService(ctx)
    for i, code in enumerate(issue_codes(ctx.ledger, "browser-1", 12)):
        channel = "sms" if i % 4 == 0 else "site"
        service.register(Submission(phone=f"+7916111{i:04d}", code=code, channel=channel))
    queue = OutboxQueue(ctx.engine)
    (first, *_rest) = queue.claim(1, 60)
    queue.bury(first, "attempt 10: HTTP 422 from the CRM: invalid phone")
    with ctx.engine.begin() as conn:
        flag(conn, "many_codes", "phone:5be1c0ffee", "daily code limit", datetime.now(UTC))
    port = free_port()
    app = create_app(caps, context=ctx)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


def test_dashboard_in_chromium(browser: Any, dashboard_url: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    answer = page.goto(f"{dashboard_url}/admin")
    assert answer is not None and answer.status == 401
    assert page.locator("input[name=token]").is_visible()
    page.fill("input[name=token]", TOKEN)
    page.click("button[type=submit]")
    page.wait_for_selector("#total")
    assert page.locator("#total").inner_text() == "12"
    assert page.locator("svg[aria-label='Registrations per hour'] rect").count() == 48
    assert "invalid phone" in page.content()
    artifacts = tools.ARTIFACTS / "admin"
    artifacts.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(artifacts / "dashboard.png"), full_page=True)
    assert (artifacts / "dashboard.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    page.click("button[value=block]")
    page.wait_for_selector("text=No open flags.")
    page.context.clear_cookies()
    again = page.goto(f"{dashboard_url}/admin")
    assert again is not None and again.status == 401
    context.close()
