"""The local server as several processes: HTTP workers, and one supervisor running the jobs.

One Python process serves one request at a time under its GIL, so on a
machine with several cores the local server runs ``workers`` HTTP processes
(``python -m campaignctl.runtime.serve --worker-of PID``), each with its own
listening socket on the same port (``SO_REUSEPORT``: the kernel spreads new
connections across them). The supervisor, the process ``campaignctl up``
starts and whose pid ``server.json`` holds, serves no HTTP: it migrates the
database before any worker starts, runs the job loop (CRM and SMS delivery,
reports, draws) exactly once, checkpoints the SQLite WAL
(:mod:`~campaignctl.runtime.checkpoints`), restarts a worker that died, and on SIGTERM or
SIGINT stops the workers gracefully, then the jobs.

Workers are fresh interpreters (not forks), so they share no locks, threads or
connections with the supervisor; on SQLite their group-commit writers take
turns through :class:`~campaignctl.runtime.commits.WriterLock`. A worker dies
with the supervisor (``PR_SET_PDEATHSIG``): ``kill -9`` of the supervisor
leaves no process answering on the port.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from campaignctl.runtime import plugins
from campaignctl.runtime.app import build_context, default_settings
from campaignctl.runtime.checkpoints import Checkpointer, background_priority
from campaignctl.runtime.context import RuntimeContext
from campaignctl.runtime.worker import run_jobs
from campaignctl.spec import load_campaign

log = logging.getLogger(__name__)

MAX_AUTO_WORKERS = 4
STOP_SECONDS = 20.0
"""How long stopping workers may take (in-flight requests finish) before they are killed."""
RESTARTS = 3
RESTART_WINDOW_SECONDS = 60.0
"""A worker that dies is started again, unless its slot already restarted :data:`RESTARTS`
times in the last :data:`RESTART_WINDOW_SECONDS`: then something is wrong with every
start (a broken spec, a full disk) and the server stops, saying why."""
_PR_SET_PDEATHSIG = 1


def auto_workers() -> int:
    """One HTTP process per core, at most :data:`MAX_AUTO_WORKERS`.

    SQLite takes one writer at a time and batches keep that writer busy, so
    more processes than that add memory, not throughput.
    """
    return max(1, min(MAX_AUTO_WORKERS, os.cpu_count() or 1))


def reuseport_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to ``host:port`` that other sockets of this user may share."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


def die_with(parent: int) -> None:
    """Be killed when ``parent`` dies (Linux); exit now if it is already gone."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


@dataclass
class _Worker:
    index: int
    process: subprocess.Popen[bytes]
    restarts: deque[float] = field(default_factory=deque)
    """When this slot's earlier workers died (monotonic seconds)."""


class Supervisor:
    """Starts, watches and stops the HTTP workers of one campaign; runs its jobs."""

    def __init__(self, source: Path, host: str, port: int, workers: int, log_level: str) -> None:
        self.source = source
        self.host = host
        self.port = port
        self.count = workers
        self.log_level = log_level
        self.workers: dict[int, _Worker] = {}
        self.failed: str | None = None

    def _spawn(self, index: int) -> _Worker:
        command = [
            sys.executable,
            "-m",
            "campaignctl.runtime.serve",
            str(self.source),
            "--host",
            self.host,
            "--port",
            str(self.port),
            "--log-level",
            self.log_level,
            "--worker-of",
            str(os.getpid()),
        ]
        # Its own process group: Ctrl-C in a terminal reaches the supervisor
        # only, which then stops each worker once (a second signal would make
        # uvicorn drop the requests in flight).
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, process_group=0)  # noqa: S603 - our own interpreter and module
        return _Worker(index, process)

    def run(self) -> int:
        """Serve until SIGTERM/SIGINT or a worker crash loop; the exit code."""
        logging.basicConfig(
            level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )
        campaign = load_campaign(self.source)
        plugins.install()  # the jobs: CRM and SMS delivery, reports, draws
        # Migrate, seed the stock and load the keys before any worker opens the database.
        ctx = build_context(campaign, settings=default_settings(campaign), checkpoints=False)
        checkpointer = Checkpointer.start_for(ctx.engine)
        # Holds the port (bound, not listening: it takes no connections) for the
        # workers' sockets, so no other program can take it between restarts.
        holder = reuseport_socket(self.host, self.port)
        try:
            for index in range(self.count):
                self.workers[index] = self._spawn(index)
            asyncio.run(self._serve(ctx))
        finally:
            self._stop_workers()
            holder.close()
            if checkpointer is not None:
                checkpointer.stop()
            ctx.engine.dispose()
        if self.failed:
            log.error("%s", self.failed)
            return 1
        return 0

    async def _serve(self, ctx: RuntimeContext) -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        # The jobs run in this pool's threads, behind the HTTP workers.
        loop.set_default_executor(
            ThreadPoolExecutor(thread_name_prefix="jobs", initializer=background_priority)
        )
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        jobs = asyncio.create_task(run_jobs(ctx, stop))
        try:
            while not stop.is_set():
                self._watch(stop)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=0.5)
        finally:
            stop.set()
            # Workers first: a request in flight may still commit; jobs after.
            await asyncio.to_thread(self._stop_workers)
            await jobs

    def _watch(self, stop: asyncio.Event) -> None:
        now = time.monotonic()
        for index, worker in list(self.workers.items()):
            code = worker.process.poll()
            if code is None:
                continue
            recent = worker.restarts
            while recent and recent[0] < now - RESTART_WINDOW_SECONDS:
                recent.popleft()
            if len(recent) >= RESTARTS:
                self.failed = (
                    f"HTTP worker {index} exited with code {code}, its {len(recent) + 1}th exit "
                    f"in {RESTART_WINDOW_SECONDS:.0f} s; stopping the server (see the messages above)"
                )
                stop.set()
                return
            log.warning(
                "HTTP worker %d (pid %d) exited with code %d; starting another",
                index,
                worker.process.pid,
                code,
            )
            recent.append(now)
            replacement = self._spawn(index)
            replacement.restarts = recent
            self.workers[index] = replacement

    def _stop_workers(self) -> None:
        alive = [w.process for w in self.workers.values() if w.process.poll() is None]
        for process in alive:
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_SECONDS
        for process in alive:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log.warning("HTTP worker %d did not stop in time; killing it", process.pid)
                process.kill()
                process.wait()
