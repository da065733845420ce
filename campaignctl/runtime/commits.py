"""Group commit: units of work queued by many requests run in shared transactions.

SQLite has one writer at a time. Instead of every request taking the write
lock, committing (a WAL append of every page it touched) and handing the lock
on, a writer takes whatever work is queued (up to :data:`MAX_BATCH` units),
runs each unit inside its own savepoint of one transaction, commits once, and
only then hands each caller its result. So:

- a unit's result is never seen before its writes are committed;
- a unit that raises rolls back its savepoint only (its exception goes to its
  caller); the others in the batch commit;
- if the commit itself fails, every unit of the batch is run again, each in its
  own transaction, so one bad unit cannot sink the others.

There is no waiting to fill a batch: at low load a batch holds one unit; under
load the queue fills while the previous batch commits.

Who runs a batch depends on who hands the work in:

- coroutines (:meth:`GroupCommit.run_async`, the HTTP server): the event loop
  itself, once it holds the writer's turn. A writer thread would fight the
  loop for the GIL inside the transaction (every SQLite call releases and
  retakes it), stretching the time the write lock is held; on the loop the
  batch runs without a switch, and the wait for the turn happens in a thread.
- threads (:meth:`GroupCommit.run`: CLI commands, thread-pool requests): one
  writer thread per engine, which exits when idle so nothing lingers.

Both take :class:`WriterLock` around each transaction: one writer at a time
per process and, through a ``flock`` on a file beside the database, across the
server's processes (:mod:`campaignctl.runtime.supervisor`). SQLite alone would
make the loser of a race for its write lock sleep and poll (1, 2, 5, 10 ms ...);
a blocked ``flock`` wakes as soon as the other batch has committed.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import fcntl
import logging
import os
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy.engine import make_url

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


class WriterLock:
    """One writer per database: a thread lock in this process, ``flock`` across processes.

    The ``flock`` is on ``<database>-lock`` (empty, 0600). One instance per file
    and process (:meth:`for_path`): two ``flock`` calls on one open file would
    not exclude each other.
    """

    _instances: dict[Path, WriterLock] = {}  # noqa: RUF012 - a per-process registry
    _registry_lock = threading.Lock()

    def __init__(self, path: Path) -> None:
        self.path = path
        self._thread_lock = threading.Lock()
        self._fd: int | None = None

    @classmethod
    def for_path(cls, path: Path) -> WriterLock:
        with cls._registry_lock:
            found = cls._instances.get(path)
            if found is None:
                found = cls._instances[path] = cls(path)
            return found

    @classmethod
    def for_engine(cls, engine: Engine) -> WriterLock | None:
        """The lock of a SQLite database file; None for other engines and in-memory SQLite."""
        url = make_url(str(engine.url))
        database = url.database
        if url.get_backend_name() != "sqlite" or not database or database == ":memory:":
            return None
        if database.startswith("file:"):
            return None  # a URI filename (tests' shared in-memory databases)
        path = Path(database).resolve()
        return cls.for_path(path.with_name(path.name + "-lock"))

    def acquire(self) -> None:
        """Block until this process and then every other one let go (the GIL is released)."""
        self._thread_lock.acquire()
        try:
            fcntl.flock(self._file(), fcntl.LOCK_EX)
        except BaseException:
            self._thread_lock.release()
            raise

    def try_acquire(self) -> bool:
        """:meth:`acquire` if nobody holds the lock now; never blocks."""
        if not self._thread_lock.acquire(blocking=False):
            return False
        try:
            fcntl.flock(self._file(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._thread_lock.release()
            return False
        except BaseException:
            self._thread_lock.release()
            raise
        return True

    def _file(self) -> int:
        """The lock file, opened once (under the thread lock)."""
        if self._fd is None:
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        return self._fd

    def release(self) -> None:
        assert self._fd is not None  # noqa: S101 - acquired before
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        self._thread_lock.release()


@dataclass
class _LoopQueue:
    """The units a coroutine handed in on one event loop, and whether a turn is under way."""

    units: list[_Unit[object]] = field(default_factory=list)
    turn: asyncio.Task[None] | None = None
    """Runs batches while units wait; then ends, and the loop's entry goes."""


class GroupCommit:
    """The writer of one engine (:meth:`RuntimeContext.group_commit` holds the shared one)."""

    def __init__(self, engine: Engine, *, max_batch: int = MAX_BATCH) -> None:
        self.engine = engine
        self.max_batch = max_batch
        self.lock = WriterLock.for_engine(engine)
        self._queue: queue.SimpleQueue[_Unit[object]] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._loops: dict[asyncio.AbstractEventLoop, _LoopQueue] = {}
        self._waiter: concurrent.futures.ThreadPoolExecutor | None = None
        self.batches = 0
        self.units = 0

    def run(self, work: Work[T]) -> T:
        """Run ``work(conn)`` in the next batch; its result once committed, or its exception."""
        future: Future[T] = Future()
        self._queue.put(_Unit(work, future))  # type: ignore[arg-type]
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._serve, name=f"group-commit-{id(self):x}", daemon=True
                )
                self._thread.start()
        return future.result()

    async def run_async(self, work: Work[T]) -> T:
        """:meth:`run` for a coroutine: the batch runs on this event loop."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        pending = self._loops.get(loop)
        if pending is None:
            pending = self._loops[loop] = _LoopQueue()
        pending.units.append(_Unit(work, future, loop))  # type: ignore[arg-type]
        if pending.turn is None:
            pending.turn = loop.create_task(self._turns(pending))
        return await future

    # -- on an event loop ---------------------------------------------------------

    async def _turns(self, pending: _LoopQueue) -> None:
        """Take the writer's turn and run a batch, while units are waiting."""
        try:
            while pending.units:
                await self._take_turn()
                try:
                    batch = pending.units[: self.max_batch]
                    del pending.units[: self.max_batch]
                    self._commit(batch)
                finally:
                    if self.lock is not None:
                        self.lock.release()
                # Let the other processes' waiters in before this one's next turn.
                await asyncio.sleep(0)
        finally:
            # Cancelled (the loop is closing): nothing waits for these any more.
            for unit in pending.units:
                unit.future.cancel()
            del self._loops[asyncio.get_running_loop()]

    async def _take_turn(self) -> None:
        if self.lock is None or self.lock.try_acquire():
            return
        with self._lock:
            if self._waiter is None:
                self._waiter = concurrent.futures.ThreadPoolExecutor(
                    max_workers=1, thread_name_prefix="group-commit-turn"
                )
            waiter = self._waiter
        lock = self.lock
        taken = waiter.submit(lock.acquire)

        def give_back(done: Future[None]) -> None:
            if not done.cancelled() and done.exception() is None:
                lock.release()

        try:
            await asyncio.wrap_future(taken)
        except asyncio.CancelledError:
            # The thread may still get the lock: give it back as soon as it has.
            taken.add_done_callback(give_back)
            raise

    # -- on the writer thread -----------------------------------------------------

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
                if self.lock is not None:
                    self.lock.acquire()
                try:
                    self._commit(batch)
                finally:
                    if self.lock is not None:
                        self.lock.release()
            except Exception:  # e.g. a closed event loop: keep serving the others
                log.exception("group commit: could not hand back a batch's results")

    # -- either -------------------------------------------------------------------

    def _commit(self, batch: list[_Unit[object]]) -> None:
        """Run ``batch`` in one transaction (the caller holds the writer's turn)."""
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
    try:
        here: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
    except RuntimeError:
        here = None
    by_loop: dict[asyncio.AbstractEventLoop, list[tuple[_Unit[object], object]]] = {}
    for unit, outcome in done:
        if unit.loop is None or unit.loop is here:
            _resolve(unit.future, outcome)
        else:
            by_loop.setdefault(unit.loop, []).append((unit, outcome))
    # One wake-up per other event loop and batch, not one per unit.
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
