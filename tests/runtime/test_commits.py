"""Group commit: units share a transaction, each in its own savepoint, answered after the commit."""

from __future__ import annotations

import asyncio
import fcntl
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, func, insert, select
from sqlalchemy.exc import IntegrityError

from campaignctl.runtime.commits import GroupCommit
from campaignctl.store import open_engine, upgrade
from campaignctl.store.runtime_tables import prize_stock


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    made = open_engine(f"sqlite:///{tmp_path / 'state.db'}")
    upgrade(made)
    yield made
    made.dispose()


def _add(prize: str) -> Callable[[Connection], str]:
    def work(conn: Connection) -> str:
        conn.execute(insert(prize_stock).values(prize_id=prize, total=1, remaining=1))
        return prize

    return work


def _count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(prize_stock)).scalar_one())


def test_a_failing_unit_rolls_back_alone(engine: Engine) -> None:
    group = GroupCommit(engine)
    names = ["a", "b", "a", "c", "b", "d"]  # the second "a" and "b" violate the key
    with ThreadPoolExecutor(len(names)) as pool:
        futures = [pool.submit(group.run, _add(n)) for n in names]
    outcomes = []
    for future in futures:
        try:
            outcomes.append(future.result())
        except IntegrityError:
            outcomes.append("duplicate")
    assert sorted(outcomes) == ["a", "b", "c", "d", "duplicate", "duplicate"]
    assert _count(engine) == 4


def test_answer_comes_after_commit(engine: Engine) -> None:
    group = GroupCommit(engine)

    def work(conn: Connection) -> int:
        conn.execute(insert(prize_stock).values(prize_id="x", total=1, remaining=1))
        return 1

    assert group.run(work) == 1
    # Another connection sees the row the moment the caller has its answer.
    assert _count(engine) == 1


def test_coroutines_share_batches(engine: Engine) -> None:
    group = GroupCommit(engine)

    async def many() -> list[str | BaseException]:
        return await asyncio.gather(
            *(group.run_async(_add(f"p{i}")) for i in range(200)),
            return_exceptions=True,
        )

    results = asyncio.run(many())
    assert sorted(str(r) for r in results) == sorted(f"p{i}" for i in range(200))
    assert _count(engine) == 200
    assert group.units == 200
    assert group.batches < 200  # queued units were committed together


def test_a_failed_commit_runs_units_one_by_one(engine: Engine) -> None:
    group = GroupCommit(engine)
    seen: list[str] = []

    def poison(conn: Connection) -> str:
        # Leaves the transaction unable to commit (a deferred foreign key that fails).
        seen.append("poison")
        conn.exec_driver_sql("PRAGMA defer_foreign_keys=ON")
        conn.exec_driver_sql(
            "INSERT INTO registrations (id, participant_id, channel, mechanic, outcome, "
            "draw_entries, points, moderation, created_at) "
            "VALUES ('r', 999, 'site', 'code', 'x', 0, 0, 'none', ?)",
            (datetime.now(UTC).isoformat(),),
        )
        return "poison"

    # Hold the writer on a first unit so "ok" and "poison" queue up into one batch.
    gate, holding = threading.Event(), threading.Event()

    def wait(conn: Connection) -> str:
        holding.set()
        gate.wait(30)
        return "gate"

    with ThreadPoolExecutor(3) as pool:
        first = pool.submit(group.run, wait)
        assert holding.wait(30)  # the writer runs the first unit: the next two wait together
        ok = pool.submit(group.run, _add("ok"))
        bad = pool.submit(group.run, poison)
        deadline = time.monotonic() + 30
        while group._queue.qsize() < 2 and time.monotonic() < deadline:
            time.sleep(0.005)
        assert group._queue.qsize() == 2
        gate.set()
        assert first.result() == "gate"
        assert ok.result() == "ok"
        with pytest.raises(IntegrityError):
            bad.result()
    assert seen == ["poison", "poison"]  # in the failed batch, then on its own
    assert _count(engine) == 1


_WRITER = """
import asyncio, json, sys
from sqlalchemy import insert
from campaignctl.runtime.commits import GroupCommit
from campaignctl.store import open_engine
from campaignctl.store.runtime_tables import prize_stock

engine = open_engine(sys.argv[1])
group = GroupCommit(engine)

def add(name):
    def work(conn):
        conn.execute(insert(prize_stock).values(prize_id=name, total=1, remaining=1))
        return name
    return work

async def main():
    names = [f"{sys.argv[2]}{i}" for i in range(300)] + ["shared"]
    done = await asyncio.gather(*(group.run_async(add(n)) for n in names), return_exceptions=True)
    print(json.dumps({"ok": sum(isinstance(d, str) for d in done), "batches": group.batches}))

asyncio.run(main())
"""


def test_processes_take_turns_through_the_writer_lock(engine: Engine, tmp_path: Path) -> None:
    url = str(engine.url.render_as_string(hide_password=False))
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, url, prefix], stdout=subprocess.PIPE, text=True
        )
        for prefix in ("a", "b")
    ]
    results = [json.loads(p.communicate(timeout=120)[0]) for p in procs]
    assert all(p.returncode == 0 for p in procs)
    # Every unit committed once; of the two "shared" units exactly one.
    assert sorted(r["ok"] for r in results) == [300, 301]
    assert _count(engine) == 601
    assert (tmp_path / "state.db-lock").stat().st_mode & 0o777 == 0o600


def test_a_cancelled_wait_for_the_turn_does_not_keep_the_lock(engine: Engine) -> None:
    group = GroupCommit(engine)
    assert group.lock is not None
    # Another process's writer holds the turn (its own open file: flock excludes it).
    other = os.open(group.lock.path, os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(other, fcntl.LOCK_EX)

    async def scenario() -> str:
        waiting = asyncio.ensure_future(group.run_async(_add("never")))
        await asyncio.sleep(0.2)
        assert not waiting.done()  # it waits for the turn
        waiting.cancel()
        await asyncio.sleep(0.05)
        fcntl.flock(other, fcntl.LOCK_UN)
        os.close(other)
        return await asyncio.wait_for(group.run_async(_add("later")), timeout=10)

    assert asyncio.run(scenario()) == "later"
    assert group.run(_add("from-a-thread")) == "from-a-thread"


def test_threads_and_coroutines_write_together(engine: Engine) -> None:
    group = GroupCommit(engine)

    async def coroutines() -> list[str]:
        return list(await asyncio.gather(*(group.run_async(_add(f"c{i}")) for i in range(100))))

    with ThreadPoolExecutor(8) as pool:
        threads = [pool.submit(group.run, _add(f"t{i}")) for i in range(100)]
        from_loop = asyncio.run(coroutines())
        from_threads = [f.result() for f in threads]
    assert len(from_loop) == len(from_threads) == 100
    assert _count(engine) == 200
