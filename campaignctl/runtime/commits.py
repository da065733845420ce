"""Group commit: one writer thread runs queued units of work in shared transactions.

SQLite has one writer at a time. Instead of every request taking the write
lock, committing (a WAL append of every page it touched) and handing the lock
on, one thread per engine takes whatever work is queued (up to
:data:`MAX_BATCH` units), runs each unit inside its own savepoint of one
transaction, commits once, and only then hands each caller its result. So:

- a unit's result is never seen before its writes are committed;
- a unit that raises rolls back its savepoint only (its exception goes to its
  caller); the others in the batch commit;
- if the commit itself fails, every unit of the batch is run again, each in its
  own transaction, so one bad unit cannot sink the others.

There is no waiting to fill a batch: at low load a batch holds one unit; under
load the queue fills while the previous batch commits. The thread exits when
idle and is started again by the next unit, so nothing lingers in tests or CLI
commands. Both threads (:meth:`GroupCommit.run`) and coroutines
(:meth:`GroupCommit.run_async`, no thread-pool hop) can hand in work.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import Connection, Engine

from campaignctl.runtime.sqlite_path import Savepoint, driver_cursor, is_sqlite

T = TypeVar("T")
Work = Callable[[Connection], T]

MAX_BATCH = 64
IDLE_SECONDS = 5.0

log = logging.getLogger(__name__)


@dataclass
class _Unit(Generic[T]):
    work: Work[T]
    future: Future[T] | asyncio.Future[T]
    loop: asyncio.AbstractEventLoop | None = None


class GroupCommit:
    """The writer of one engine (:meth:`RuntimeContext.group_commit` holds the shared one)."""

    def __init__(self, engine: Engine, *, max_batch: int = MAX_BATCH) -> None:
        self.engine = engine
        self.max_batch = max_batch
        self._queue: queue.SimpleQueue[_Unit[object]] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self.batches = 0
        self.units = 0

    def run(self, work: Work[T]) -> T:
        """Run ``work(conn)`` in the next batch; its result once committed, or its exception."""
        future: Future[T] = Future()
        self._put(_Unit(work, future))
        return future.result()

    async def run_async(self, work: Work[T]) -> T:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._put(_Unit(work, future, loop))
        return await future

    def _put(self, unit: _Unit[T]) -> None:
        self._queue.put(unit)  # type: ignore[arg-type]
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._serve, name=f"group-commit-{id(self):x}", daemon=True
                )
                self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                first = self._queue.get(timeout=IDLE_SECONDS)
            except queue.Empty:
                with self._lock:
                    if self._queue.empty():
                        self._thread = None
                        return
                continue
            batch = [first]
            while len(batch) < self.max_batch:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            try:
                self._commit(batch)
            except Exception:  # e.g. a closed event loop: keep serving the others
                log.exception("group commit: could not hand back a batch's results")

    def _commit(self, batch: list[_Unit[object]]) -> None:
        try:
            with self.engine.begin() as conn:
                outcomes = [_attempt(conn, unit) for unit in batch]
        except Exception as exc:
            if len(batch) == 1:
                _settle([(batch[0], exc)])
                return
            log.warning(
                "group commit of %d units failed (%s); running them one by one", len(batch), exc
            )
            for unit in batch:
                self._commit([unit])
            return
        self.batches += 1
        self.units += len(batch)
        _settle(list(zip(batch, outcomes, strict=True)))


def _attempt(conn: Connection, unit: _Unit[object]) -> object:
    """The unit's result, or the exception it raised after its savepoint was rolled back."""
    try:
        if is_sqlite(conn):
            # The driver's own SAVEPOINT: SQLAlchemy's nested-transaction
            # bookkeeping cost more than the unit's statements.
            with Savepoint(driver_cursor(conn), "unit"):
                return unit.work(conn)
        with conn.begin_nested():
            return unit.work(conn)
    except Exception as exc:
        return _Raised(exc)


@dataclass(frozen=True)
class _Raised:
    exc: BaseException


def _settle(done: list[tuple[_Unit[object], object]]) -> None:
    by_loop: dict[asyncio.AbstractEventLoop, list[tuple[_Unit[object], object]]] = {}
    for unit, outcome in done:
        if unit.loop is None:
            _resolve(unit.future, outcome)
        else:
            by_loop.setdefault(unit.loop, []).append((unit, outcome))
    # One wake-up per event loop and batch, not one per unit.
    for loop, pairs in by_loop.items():
        loop.call_soon_threadsafe(_resolve_all, pairs)


def _resolve_all(pairs: list[tuple[_Unit[object], object]]) -> None:
    for unit, outcome in pairs:
        _resolve(unit.future, outcome)


def _resolve(future: Future[object] | asyncio.Future[object], outcome: object) -> None:
    if future.done():  # an awaiting request was cancelled (client went away)
        return
    if isinstance(outcome, _Raised):
        future.set_exception(outcome.exc)
    elif isinstance(outcome, BaseException):
        future.set_exception(outcome)
    else:
        future.set_result(outcome)
