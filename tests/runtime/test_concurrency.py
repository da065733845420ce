"""Exactly once under concurrency, on SQLite, PostgreSQL and MariaDB.

100 threads register one code at the same moment: one 201, 99 409. 100 threads
claim the last unit of a prize: stock 0, never negative, exactly one winner.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest
from sqlalchemy import update

from campaignctl.model.campaign import Campaign
from campaignctl.runtime.context import RuntimeContext
from campaignctl.runtime.form import Submission
from campaignctl.runtime.service import RegistrationService
from campaignctl.runtime.stock import claim, remaining
from campaignctl.store.runtime_tables import prize_stock
from tests.runtime.conftest import issue_codes
from tests.store.conftest import mariadb_url, postgres_url

N = 100


@contextmanager
def _no_url() -> Iterator[str | None]:
    yield None


BACKENDS: dict[str, Callable[[], AbstractContextManager[str | None]]] = {
    "sqlite": _no_url,
    "postgres": postgres_url,
    "mariadb": mariadb_url,
}
PARAMS = [
    "sqlite",
    pytest.param("postgres", marks=pytest.mark.postgres),
    pytest.param("mariadb", marks=pytest.mark.mariadb),
]


def _together(n: int, work: Callable[[int], object]) -> list[object]:
    barrier = threading.Barrier(n)

    def run(i: int) -> object:
        barrier.wait()
        return work(i)

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(run, range(n)))


@pytest.mark.slow
@pytest.mark.parametrize("backend", PARAMS)
def test_one_code_registers_exactly_once(
    backend: str, caps: Campaign, make_context: Callable[..., RuntimeContext], tmp_path: Path
) -> None:
    with BACKENDS[backend]() as url:
        ctx = make_context(caps, url)
        assert ctx.ledger is not None
        [code] = issue_codes(ctx.ledger, "run-1", 1)
        service = RegistrationService(ctx)

        def register(i: int) -> object:
            sub = Submission(phone=f"+7900{i:07d}", code=code)
            return service.register(sub).status

        statuses = _together(N, register)
        assert statuses.count(201) == 1
        assert statuses.count(409) == N - 1


@pytest.mark.slow
@pytest.mark.parametrize("backend", PARAMS)
def test_the_last_unit_of_a_prize_goes_once(
    backend: str, caps: Campaign, make_context: Callable[..., RuntimeContext]
) -> None:
    with BACKENDS[backend]() as url:
        ctx = make_context(caps, url)
        with ctx.engine.begin() as conn:
            conn.execute(
                update(prize_stock).where(prize_stock.c.prize_id == "speaker").values(remaining=1)
            )

        def take(_i: int) -> object:
            with ctx.engine.begin() as conn:
                return claim(conn, "speaker")

        results = _together(N, take)
        assert results.count(True) == 1
        assert remaining(ctx.engine)["speaker"] == 0
