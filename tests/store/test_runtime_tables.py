"""Migration 0003_runtime creates exactly the runtime tables the code declares."""

from __future__ import annotations

import stat
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest
from sqlalchemy import inspect

from campaignctl.store import open_engine, upgrade
from campaignctl.store import runtime_tables as rt
from tests.store.conftest import mariadb_url, postgres_url

RUNTIME_TABLES = [
    rt.participants,
    rt.registrations,
    rt.prize_stock,
    rt.receipts,
    rt.loyalty_members,
    rt.loyalty_vouchers,
    rt.fraud_counters,
    rt.fraud_lockouts,
    rt.fraud_flags,
    rt.login_codes,
    rt.runtime_messages,
]


def _sqlite(tmp: Path) -> Callable[[], AbstractContextManager[str]]:
    @contextmanager
    def url() -> Iterator[str]:
        yield f"sqlite:///{tmp / 'state.db'}"

    return url


@pytest.mark.parametrize(
    "backend",
    [
        "sqlite",
        pytest.param("postgres", marks=pytest.mark.postgres),
        pytest.param("mariadb", marks=pytest.mark.mariadb),
    ],
)
def test_migration_matches_the_declared_tables(backend: str, tmp_path: Path) -> None:
    opener = {"sqlite": _sqlite(tmp_path), "postgres": postgres_url, "mariadb": mariadb_url}[
        backend
    ]
    with opener() as url:
        engine = open_engine(url)
        try:
            upgrade(engine)
            upgrade(engine)  # idempotent: a second `up` migrates nothing
            found = inspect(engine)
            for table in RUNTIME_TABLES:
                columns = {c["name"] for c in found.get_columns(table.name)}
                assert columns == set(table.c.keys()), table.name
        finally:
            engine.dispose()


def test_sqlite_file_is_owner_only(tmp_path: Path) -> None:
    engine = open_engine(f"sqlite:///{tmp_path / 'state.db'}")
    upgrade(engine)
    engine.dispose()
    assert stat.S_IMODE((tmp_path / "state.db").stat().st_mode) == 0o600
