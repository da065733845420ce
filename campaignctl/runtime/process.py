"""The local stack as a process: start (foreground or detached), find, stop.

State lives in the campaign's state folder: ``server.json`` (pid, host, port,
clock offset) while a server runs, ``server.log`` for a detached one, and
``admin.token`` (0600) for the admin pages. Stopping keeps every other file:
the database, keys, uploads.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from campaignctl.errors import UserError
from campaignctl.model.campaign import Campaign
from campaignctl.runtime.app import ADMIN_TOKEN_FILE
from campaignctl.runtime.context import CLOCK_ENV
from campaignctl.state import state_dir, write_private

PID_FILE = "server.json"
LOG_FILE = "server.log"
START_TIMEOUT = 60.0


class StartFailed(UserError):
    """The server did not answer its health check."""


class PortBusy(UserError):
    """Another program listens on the port."""


@dataclass(frozen=True)
class Running:
    pid: int
    host: str
    port: int
    clock_offset: float = 0.0

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"


def admin_token(campaign: Campaign) -> Path:
    """The admin token file, created (0600, random) on first use."""
    path = state_dir(campaign.folder) / ADMIN_TOKEN_FILE
    if not path.exists():
        with contextlib.suppress(FileExistsError):
            write_private(path, (secrets.token_urlsafe(32) + "\n").encode())
    return path


def pid_path(campaign: Campaign) -> Path:
    return state_dir(campaign.folder) / PID_FILE


def log_path(campaign: Campaign) -> Path:
    return state_dir(campaign.folder) / LOG_FILE


def write_pid(campaign: Campaign, running: Running) -> None:
    path = pid_path(campaign)
    path.unlink(missing_ok=True)
    write_private(path, json.dumps(running.__dict__).encode())


def running(campaign: Campaign) -> Running | None:
    """The campaign's server if its process is alive; a stale pid file is removed."""
    path = pid_path(campaign)
    try:
        data = json.loads(path.read_text())
        found = Running(
            int(data["pid"]),
            str(data["host"]),
            int(data["port"]),
            float(data.get("clock_offset", 0)),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not _alive(found.pid):
        path.unlink(missing_ok=True)
        return None
    return found


def healthy(base_url: str, timeout: float = 1.0) -> bool:
    try:
        with urllib.request.urlopen(f"{base_url}/healthz", timeout=timeout) as response:  # noqa: S310 - loopback URL we built
            return bool(response.status == 200)
    except OSError:
        return False


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs. A zombie does not: a detached server whose parent
    has gone is reparented to init, and an init that does not reap (a
    container's, this machine's) leaves it as a zombie after ``kill -9``, which
    ``kill(pid, 0)`` still finds."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    if not Path("/proc/self/stat").exists():
        return True  # not Linux: kill() is all we know
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False  # gone since kill()
    return state not in {"Z", "X"}


def start_detached(
    campaign: Campaign,
    host: str,
    port: int,
    clock_offset: float = 0.0,
    *,
    workers: int | None = None,
) -> Running:
    """Start the server in its own session; return once ``/healthz`` answers."""
    log = log_path(campaign)
    env = dict(os.environ)
    if clock_offset:
        env[CLOCK_ENV] = str(clock_offset)
    command = [
        sys.executable,
        "-m",
        "campaignctl.runtime.serve",
        str(campaign.source),
        "--host",
        host,
        "--port",
        str(port),
    ]
    if workers is not None:
        command += ["--workers", str(workers)]
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            command,
            stdin=subprocess.DEVNULL,
            stdout=fd,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env=env,
        )
    finally:
        os.close(fd)
    started = Running(process.pid, host, port, clock_offset)
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise StartFailed(
                f"the server exited with code {process.returncode} before answering",
                hint=f"see the log: {log}",
            )
        if healthy(started.base_url, timeout=0.5):
            write_pid(campaign, started)
            return started
        time.sleep(0.2)
    process.terminate()
    raise StartFailed(
        f"the server did not answer {started.base_url}/healthz in {START_TIMEOUT:.0f} s",
        hint=f"see the log: {log}",
    )


def stop(campaign: Campaign, timeout: float = 15.0) -> bool:
    """Stop the campaign's local server (SIGTERM, then SIGKILL); False if none was running."""
    found = running(campaign)
    if found is None:
        return False
    os.kill(found.pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and _alive(found.pid):
        _reap(found.pid)
        time.sleep(0.1)
    if _alive(found.pid):
        os.kill(found.pid, signal.SIGKILL)
        _reap(found.pid)
    pid_path(campaign).unlink(missing_ok=True)
    return True


def _reap(pid: int) -> None:
    # A detached server started by this process is our child: collect it so it
    # does not linger as a zombie that still "exists".
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)
