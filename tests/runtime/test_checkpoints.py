"""WAL checkpoints happen in the checkpointer's thread, not in the server's commits."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, insert, text

from campaignctl.runtime.checkpoints import BACKGROUND_NICE, Checkpointer, background_priority
from campaignctl.store import open_engine, upgrade
from campaignctl.store.runtime_tables import prize_stock


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    made = open_engine(f"sqlite:///{tmp_path / 'state.db'}", checkpoints=False)
    upgrade(made)
    yield made
    made.dispose()


def _fill(engine: Engine, prefix: str, rows: int) -> None:
    for chunk in range(rows // 500):
        with engine.begin() as conn:
            conn.execute(
                insert(prize_stock),
                [
                    {"prize_id": f"{prefix}{chunk}-{i}-" + "x" * 200, "total": 1, "remaining": 1}
                    for i in range(500)
                ],
            )


def test_server_engines_leave_the_wal_to_the_checkpointer(engine: Engine, tmp_path: Path) -> None:
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA wal_autocheckpoint")).scalar_one() == 0
    _fill(engine, "a", 10_000)  # well past SQLite's own 1,000-page checkpoint
    wal = tmp_path / "state.db-wal"
    grown = wal.stat().st_size
    assert grown > 1000 * 4096  # nobody checkpointed (it would have restarted the WAL)
    checkpointer = Checkpointer(engine)
    busy, frames, copied = checkpointer.checkpoint()
    assert busy == 0 and frames > 1000 and copied == frames
    # The next writer starts the WAL over instead of growing it.
    _fill(engine, "b", 500)
    assert wal.stat().st_size == grown


def test_the_thread_checkpoints_until_stopped(engine: Engine) -> None:
    checkpointer = Checkpointer.start_for(engine)
    assert checkpointer is not None
    _fill(engine, "c", 2_000)
    deadline = time.monotonic() + 10
    while checkpointer.checkpoints < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    checkpointer.stop()
    assert checkpointer.checkpoints >= 3
    assert not checkpointer._thread.is_alive()


def test_other_engines_get_no_checkpointer() -> None:
    engine = open_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")
    assert Checkpointer.start_for(engine) is None


def test_background_threads_yield_to_the_http_workers() -> None:
    seen: list[int] = []

    def run() -> None:
        before = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
        background_priority()
        seen.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) - before)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    assert seen == [min(BACKGROUND_NICE, 19 - os.getpriority(os.PRIO_PROCESS, 0))]
    assert os.getpriority(os.PRIO_PROCESS, 0) == os.getpriority(os.PRIO_PROCESS, os.getpid())
