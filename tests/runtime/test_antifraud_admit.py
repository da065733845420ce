"""Guard.admit: counts and lockouts in one statement, on SQLite, PostgreSQL and MariaDB."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, select

from campaignctl.model.policy import AntiFraud
from campaignctl.runtime.antifraud import Guard, Subjects, Throttled, lock
from campaignctl.store import open_engine, upgrade
from campaignctl.store.runtime_tables import fraud_counters
from tests.store.conftest import mariadb_url, postgres_url

NOW = datetime(2027, 6, 10, 12, 30, tzinfo=UTC)
WHO = Subjects(phone="ab" * 16, ip="203.0.113.5")


@contextmanager
def _sqlite(folder: Path) -> Iterator[str]:
    yield f"sqlite:///{folder / 'state.db'}"


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param("postgres", marks=pytest.mark.postgres),
        pytest.param("mariadb", marks=pytest.mark.mariadb),
    ]
)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    urls: dict[str, Callable[[], AbstractContextManager[str]]] = {
        "sqlite": lambda: _sqlite(tmp_path),
        "postgres": postgres_url,
        "mariadb": mariadb_url,
    }
    with urls[request.param]() as url:
        made = open_engine(url)
        upgrade(made)
        yield made
        made.dispose()


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        rows = conn.execute(select(fraud_counters.c.subject, fraud_counters.c["count"]))
        return {subject: int(count) for subject, count in rows}


def test_counts_then_refuses_and_a_refusal_adds_nothing(engine: Engine) -> None:
    guard = Guard(AntiFraud(max_attempts_per_phone_per_day=3, max_attempts_per_ip_per_hour=100))
    for _ in range(3):
        with engine.begin() as conn:
            guard.admit(conn, WHO, NOW)
    assert _counts(engine) == {f"phone:{WHO.phone}": 3, f"ip:{WHO.ip}": 3}
    with pytest.raises(Throttled) as refused, engine.begin() as conn:
        guard.admit(conn, WHO, NOW)
    assert refused.value.reason == "limit_reached"
    assert refused.value.retry_after == 11 * 3600 + 30 * 60 + 1  # to midnight UTC
    assert _counts(engine) == {f"phone:{WHO.phone}": 3, f"ip:{WHO.ip}": 3}


def test_a_locked_subject_is_blocked_until_the_lock_ends(engine: Engine) -> None:
    guard = Guard(AntiFraud())
    with engine.begin() as conn:
        lock(conn, f"ip:{WHO.ip}", NOW + timedelta(minutes=20), "failed_attempts")
    with pytest.raises(Throttled) as refused, engine.begin() as conn:
        guard.admit(conn, WHO, NOW)
    assert refused.value.reason == "blocked"
    assert refused.value.retry_after == 20 * 60 + 1
    with engine.begin() as conn:  # an hour later the lock has run out
        guard.admit(conn, WHO, NOW + timedelta(hours=1))
    assert _counts(engine)[f"ip:{WHO.ip}"] == 1


@pytest.mark.parametrize(
    "zone", ["Europe/Moscow", "Europe/Berlin", "America/Havana", "Australia/Lord_Howe"]
)
def test_windows_are_the_wall_clock_hour_and_day_through_clock_changes(zone: str) -> None:
    # The windows are cached per hour; they must still be what the campaign's
    # clock says, including the repeated hour of a change back (fold=1) and
    # zones that change at midnight or by half an hour.
    guard = Guard(AntiFraud())
    tz = ZoneInfo(zone)
    moment = datetime(2027, 1, 1, tzinfo=UTC)
    while moment < datetime(2028, 1, 1, tzinfo=UTC):
        now = moment.astimezone(tz)
        day = now.replace(hour=0, minute=0, second=0, microsecond=0)
        hour = now.replace(minute=0, second=0, microsecond=0)
        expected = [
            (f"phone:{WHO.phone}", f"d:{day:%Y-%m-%d}", day + timedelta(days=1)),
            (f"ip:{WHO.ip}", f"h:{hour:%Y-%m-%dT%H}", hour + timedelta(hours=1)),
        ]
        got = [(s, k, end) for s, k, end, _limit in guard.windows(WHO, now)]
        assert got == expected
        # Same instant is not enough: the same wall time, zone and fold.
        assert [(e.tzinfo, e.fold, e.utcoffset()) for _s, _k, e in got] == [
            (e.tzinfo, e.fold, e.utcoffset()) for _s, _k, e in expected
        ]
        moment += timedelta(minutes=23)
