"""The code registration on SQLite's driver cursor: the answers the Core path gives."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from campaignctl.model.campaign import Campaign
from campaignctl.model.policy import AntiFraud
from campaignctl.runtime.antifraud import Guard, Subjects, Throttled, lock
from campaignctl.runtime.context import RuntimeContext
from campaignctl.runtime.form import parse_submission
from campaignctl.runtime.service import RegistrationService, Result
from campaignctl.runtime.sqlite_codes import admit
from campaignctl.runtime.sqlite_path import driver_cursor
from campaignctl.store.runtime_tables import fraud_counters, fraud_flags, registrations
from campaignctl.store.tables import code_redemptions
from tests.runtime.conftest import issue_codes

PHONE = "+7 900 123-45-67"
NOW = datetime(2027, 6, 10, 12, 30, tzinfo=UTC)
WHO = Subjects(phone="ab" * 16, ip="203.0.113.5")


@pytest.fixture
def ctx(caps: Campaign, make_context: Callable[..., RuntimeContext]) -> RuntimeContext:
    return make_context(caps)


def _register(ctx: RuntimeContext, code: str, phone: str = PHONE) -> Result:
    raw = {"code": code, "phone": phone, "consent": True, "age_confirmed": True}
    return RegistrationService(ctx).register(parse_submission(ctx.campaign, raw, None))


def _count(ctx: RuntimeContext, column: object) -> int:
    with ctx.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(column)).scalar_one())  # type: ignore[arg-type]


def test_a_registration_is_stored_as_the_core_path_stores_it(ctx: RuntimeContext) -> None:
    assert ctx.ledger is not None
    [code] = issue_codes(ctx.ledger, "run-1", 1)
    result = _register(ctx, code)
    assert result.status == 201
    with ctx.engine.connect() as conn:
        row = conn.execute(select(registrations)).one()
        redeemed_at = conn.execute(select(code_redemptions.c.redeemed_at)).scalar_one()
    assert row.id == result.registration_id
    assert row.outcome == result.outcome
    assert row.mechanic == "code"
    # Read back by SQLAlchemy as naive UTC: the driver path wrote SQLAlchemy's format.
    now = ctx.local_now().astimezone(UTC).replace(tzinfo=None)
    assert abs(row.created_at - now) < timedelta(seconds=5)
    assert row.created_at == redeemed_at


def test_over_the_daily_limit_the_code_stays_unredeemed(ctx: RuntimeContext) -> None:
    assert ctx.ledger is not None and ctx.campaign.mechanics.codes is not None
    limit = ctx.campaign.mechanics.codes.max_codes_per_day
    codes = issue_codes(ctx.ledger, "run-1", limit + 1)
    assert [_register(ctx, c).status for c in codes[:limit]] == [201] * limit
    over = _register(ctx, codes[limit])
    assert (over.status, over.outcome) == (429, "limit_reached")
    assert over.retry_after is not None
    assert _count(ctx, code_redemptions) == limit
    assert _count(ctx, fraud_flags) == 1
    # An already registered code is a 409 even for a phone at its limit.
    assert _register(ctx, codes[0]).status == 409
    # The refused code was rolled back: another phone registers it.
    assert _register(ctx, codes[limit], phone="+7 900 765-43-21").status == 201


def test_a_serial_voided_after_the_book_was_loaded_is_not_a_code(ctx: RuntimeContext) -> None:
    assert ctx.ledger is not None
    codes = issue_codes(ctx.ledger, "run-1", 3)
    [batch] = ctx.ledger.store.batches()
    ctx.ledger.store.add_voids(batch.id, [(batch.first_serial + 1, batch.first_serial + 1)], "x")
    answers = [_register(ctx, c).status for c in codes]
    assert answers == [201, 422, 201]
    assert _count(ctx, code_redemptions) == 2


def test_admit_on_the_cursor_counts_and_refuses_as_guard_admit(ctx: RuntimeContext) -> None:
    guard = Guard(AntiFraud(max_attempts_per_phone_per_day=2, max_attempts_per_ip_per_hour=100))
    for _ in range(2):
        with ctx.engine.begin() as conn:
            admit(driver_cursor(conn), guard, WHO, NOW)
    with pytest.raises(Throttled) as refused, ctx.engine.begin() as conn:
        admit(driver_cursor(conn), guard, WHO, NOW)
    assert refused.value.reason == "limit_reached"
    with ctx.engine.connect() as conn:
        rows = conn.execute(select(fraud_counters.c.subject, fraud_counters.c["count"]))
        counts = {subject: int(count) for subject, count in rows}
    assert counts == {f"phone:{WHO.phone}": 2, f"ip:{WHO.ip}": 2}
    with ctx.engine.begin() as conn:
        lock(conn, f"ip:{WHO.ip}", NOW + timedelta(minutes=20), "failed_attempts")
    with pytest.raises(Throttled) as blocked, ctx.engine.begin() as conn:
        admit(driver_cursor(conn), guard, WHO, NOW + timedelta(minutes=10))
    assert blocked.value.reason == "blocked"
    # The lock's end, read back from SQLite text, is ten minutes on.
    assert blocked.value.retry_after == 10 * 60 + 1
