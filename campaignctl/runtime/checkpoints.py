"""WAL checkpoints off the registrations' path: one thread of the server copies the WAL back.

SQLite checkpoints in the commit that takes the WAL past 1,000 pages: that
commit copies the pages into the database file and fsyncs both, while its
writer holds the turn every other writer waits for (and, on the event loop,
while no request of that process moves). The server's engines therefore commit
without checkpointing (``open_engine(..., checkpoints=False)``) and this thread,
in the supervisor (or the single server process), runs a ``PASSIVE`` checkpoint
every :data:`INTERVAL_SECONDS`: it copies what no reader still needs, never
waits for readers or writers, and writers go on appending meanwhile.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading

from sqlalchemy import Engine

log = logging.getLogger(__name__)

INTERVAL_SECONDS = 0.2
BACKGROUND_NICE = 10


def background_priority() -> None:
    """Lower the calling thread's CPU priority (Linux: ``nice`` is per thread).

    Background work (checkpoints, CRM delivery, reports) then takes the cores the
    HTTP workers leave: under load it falls behind and catches up, instead of
    slowing every registration. Best effort: elsewhere it does nothing.
    """
    with contextlib.suppress(OSError, AttributeError):
        tid = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, tid, os.getpriority(os.PRIO_PROCESS, tid) + BACKGROUND_NICE)


class Checkpointer:
    """Runs ``PRAGMA wal_checkpoint(PASSIVE)`` on ``engine`` until :meth:`stop`."""

    def __init__(self, engine: Engine, interval: float = INTERVAL_SECONDS) -> None:
        self.engine = engine
        self.interval = interval
        self.checkpoints = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="wal-checkpoint", daemon=True)

    @classmethod
    def start_for(cls, engine: Engine) -> Checkpointer | None:
        """A running checkpointer for a SQLite engine; None for other databases."""
        if engine.dialect.name != "sqlite":
            return None
        made = cls(engine)
        made._thread.start()
        return made

    def checkpoint(self) -> tuple[int, int, int]:
        """One passive checkpoint: (busy, WAL frames, frames copied), as SQLite reports them."""
        with self.engine.connect() as conn:
            driver = conn.connection.driver_connection
            assert driver is not None  # noqa: S101 - an open connection
            row = driver.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        self.checkpoints += 1
        return int(row[0]), int(row[1]), int(row[2])

    def _run(self) -> None:
        background_priority()
        while not self._stop.wait(self.interval):
            try:
                self.checkpoint()
            except Exception:  # a full disk, say: keep trying, the WAL keeps the data
                log.exception("WAL checkpoint failed")

    def stop(self) -> None:
        """Stop the thread, after a last checkpoint."""
        self._stop.set()
        self._thread.join()
        try:
            self.checkpoint()
        except Exception:
            log.exception("WAL checkpoint failed")
