"""Timer crons: valid for Yandex, in UTC, at the draw's moment."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta, timezone

import pytest

from campaignctl.stack.yandex.offline import OfflineStack
from campaignctl.stack.yandex.schedule import (
    RELAY_CRON,
    cron_problems,
    daily_utc_cron,
    fires_at,
    timers,
    utc_cron_at,
)
from tests.stack.conftest import MAIN, example


def test_every_trigger_cron_is_valid(stack: OfflineStack) -> None:
    crons = [
        t.inputs["timer"]["cronExpression"]
        for t in stack.of_type("yandex:FunctionTrigger")
        if "timer" in t.inputs
    ]
    catch_up = 1 if stack.campaign.draws else 0
    assert len(crons) == 1 + len(stack.campaign.draws) + catch_up + 1  # report, draws, relay
    for cron in crons:
        assert cron_problems(cron) == []


def test_the_relay_runs_every_minute(stack: OfflineStack) -> None:
    (trigger,) = [t for t in stack.of_type("yandex:FunctionTrigger") if t.name == "timer-relay"]
    assert trigger.inputs["timer"]["cronExpression"] == RELAY_CRON == "* * ? * * *"
    assert trigger.inputs["function"]["id"] == "relay-id"
    start = datetime(2027, 6, 10, 23, 58, tzinfo=UTC)
    for minute in range(5):  # across midnight, every minute
        assert fires_at(RELAY_CRON, start + timedelta(minutes=minute))


def test_draw_timers_fire_at_the_draw_in_utc(stack: OfflineStack) -> None:
    by_name = {
        t.name: t.inputs["timer"]["cronExpression"]
        for t in stack.of_type("yandex:FunctionTrigger")
        if "timer" in t.inputs
    }
    for draw in stack.campaign.draws:
        cron = by_name[f"timer-draw-{draw.id}"]
        assert fires_at(cron, draw.at)
        assert not fires_at(cron, draw.at + timedelta(minutes=1))
        offset = draw.at.utcoffset()
        if offset:  # read as local wall time, the cron would be off by the offset
            assert not fires_at(cron, draw.at.replace(tzinfo=UTC))


def test_receipt_draw_by_hand() -> None:
    # August draw: 2027-09-03 15:00 +07:00 (Novosibirsk) = 08:00 UTC.
    # Daily report: 09:00 Asia/Novosibirsk = 02:00 UTC.
    found = {t.id: t.cron for t in timers(example(MAIN))}
    assert found["draw-august"] == "0 8 3 9 ? 2027"
    assert found["report"] == "0 2 ? * * *"


def test_moscow_report_and_a_day_boundary() -> None:
    assert daily_utc_cron(time(9, 0), "Europe/Moscow", datetime(2027, 6, 1).date()) == "0 6 ? * * *"
    # 01:30 in Vladivostok (+10) is 15:30 UTC of the previous day.
    moment = datetime(2027, 1, 1, 1, 30, tzinfo=timezone(timedelta(hours=10)))
    assert utc_cron_at(moment) == "30 15 31 12 ? 2026"


@pytest.mark.parametrize(
    "cron",
    [
        "0 8 3 9 2027",  # five fields
        "0 8 3 9 * 2027",  # no '?'
        "0 8 ? 9 ? 2027",  # two '?'
        "60 8 3 9 ? 2027",
        "0 24 3 9 ? 2027",
        "0 8 32 9 ? 2027",
        "0 8 3 13 ? 2027",
        "0 8 ? * FUNDAY *",
        "0 8 3 9 ? 27",
    ],
)
def test_invalid_crons_are_caught(cron: str) -> None:
    assert cron_problems(cron)


def test_valid_forms() -> None:
    for cron in ("0 2 ? * * *", "0,30 8-9 ? * MON,FRI *", "0 8 3 9 ? 2027"):
        assert cron_problems(cron) == []
