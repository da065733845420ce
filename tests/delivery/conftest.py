"""A campaign whose CRM is a local receiver, a runtime context, real codes, a fast worker."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from campaignctl.delivery.worker import build_worker
from campaignctl.model.campaign import Campaign
from campaignctl.model.channels import Crm
from campaignctl.queue import RetryPolicy, Worker
from campaignctl.runtime import plugins
from campaignctl.runtime.context import RuntimeContext
from campaignctl.runtime.form import Submission
from campaignctl.runtime.service import RegistrationService, Result
from tests.delivery.receiver import CrmReceiver, CrmState
from tests.runtime.conftest import (  # noqa: F401 - fixtures
    caps,
    copy_example,
    issue_codes,
    make_context,
)

SECRET = "s3cret-for-tests"
FAST = RetryPolicy(max_attempts=4, base_seconds=0.05, cap_seconds=0.2, lease_seconds=30, batch=50)


@pytest.fixture(autouse=True)
def _plugins() -> None:
    plugins.install()


@pytest.fixture
def receiver() -> Iterator[CrmReceiver]:
    crm = CrmReceiver(CrmState(secret=SECRET.encode())).start()
    yield crm
    crm.stop()


def with_crm(campaign: Campaign, target: str, url: str, **extra: object) -> Campaign:
    crm = Crm(
        target=target,  # type: ignore[arg-type]
        url=url,
        secret_ref="env:TEST_CRM_SECRET",
        rate_limit_per_second=200,
        **extra,  # type: ignore[arg-type]
    )
    return replace(campaign, crm=crm)


@pytest.fixture
def webhook_campaign(
    tmp_path: Path, receiver: CrmReceiver, monkeypatch: pytest.MonkeyPatch
) -> Campaign:
    monkeypatch.setenv("TEST_CRM_SECRET", SECRET)
    copied = copy_example("bottle-caps", tmp_path / "caps")
    return with_crm(copied, "webhook", receiver.url + "/hook")


@pytest.fixture
def register(
    make_context: Callable[..., RuntimeContext],  # noqa: F811 - the imported fixture
) -> Callable[[Campaign, int], tuple[RuntimeContext, list[Result]]]:
    """Register ``n`` fresh codes of ``campaign`` through the runtime's service."""

    def _register(campaign: Campaign, n: int) -> tuple[RuntimeContext, list[Result]]:
        ctx = make_context(campaign)
        assert ctx.ledger is not None
        codes = issue_codes(ctx.ledger, "t", n)
        service = RegistrationService(ctx)
        results = [
            service.register(Submission(phone=f"+7916{i:07d}", code=code))
            for i, code in enumerate(codes)
        ]
        assert all(r.status == 201 for r in results), results
        return ctx, results

    return _register


def fast_worker(ctx: RuntimeContext, policy: RetryPolicy = FAST) -> Worker:
    return build_worker(ctx.campaign, ctx.engine, policy)
