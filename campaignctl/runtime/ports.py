"""Who holds a TCP port on this machine: the sockets bound to it and the processes that own them.

``campaignctl up`` checks its port before it starts the server. When the port
is taken, the user needs to know by whom, and a process that was killed a
moment ago (a worker of a crashed server) may still hold its listening socket
for a few milliseconds: the main thread of a killed process turns into a
zombie at once, while its other threads, one of them perhaps inside an
``fsync``, release the process's files only when the last of them has exited.
Such a process is *exiting*: the port is worth waiting a moment for.
Anything else holding the port is reported by pid and command line.

Linux only (``/proc``); elsewhere nothing is found and the caller says
"another program".
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")
_TIME_WAIT = "06"
"""A connection closed by this side; it owns no file (inode 0) and blocks no bind with SO_REUSEADDR."""

COMMAND_CHARS = 160
"""A holder's command line is shown up to this length, on one line."""
EXIT_GRACE_SECONDS = 5.0
"""How long ``campaignctl up`` waits for exiting processes to let go of its port."""


@dataclass(frozen=True)
class Holder:
    """A process that has a socket bound to the port open."""

    pid: int
    command: str
    exiting: bool
    """Its main thread has exited (a zombie) while other threads still hold its files."""

    def describe(self) -> str:
        state = ", exiting" if self.exiting else ""
        return f"pid {self.pid} ({self.command or '?'}{state})"


def bindable(host: str, port: int) -> bool:
    """Whether a listening socket with ``SO_REUSEADDR`` could be bound to ``host:port`` now."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def holders(host: str, port: int) -> list[Holder]:
    """The processes with a socket bound to ``port`` on ``host`` or on every address."""
    inodes = set(_socket_inodes(host, port))
    if not inodes:
        return []
    found = []
    for pid_dir in PROC.glob("[0-9]*"):
        pid = int(pid_dir.name)
        if _open_sockets(pid_dir) & inodes:
            found.append(Holder(pid, _command(pid_dir), _state(pid_dir) in {"Z", "X"}))
    return sorted(found, key=lambda holder: holder.pid)


def wait_for_port(host: str, port: int, seconds: float = EXIT_GRACE_SECONDS) -> list[Holder] | None:
    """None once ``host:port`` can be bound, waiting while only exiting processes hold it;
    else who holds it (empty where ``/proc`` does not tell)."""
    deadline = time.monotonic() + seconds
    while True:
        if bindable(host, port):
            return None
        found = holders(host, port)
        # Nobody found may mean the holder let go between the two looks: look again.
        if (found and not all(h.exiting for h in found)) or time.monotonic() >= deadline:
            return found
        time.sleep(0.05)


def _socket_inodes(host: str, port: int) -> Iterator[str]:
    try:
        wanted = ipaddress.ip_address(host)
    except ValueError:
        wanted = None
    for table in ("tcp", "tcp6"):
        try:
            lines = (PROC / "net" / table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            address, _, hex_port = fields[1].partition(":")
            if int(hex_port, 16) != port or fields[3] == _TIME_WAIT or fields[9] == "0":
                continue
            local = _address(address)
            if wanted is None or local.is_unspecified or local == wanted:
                yield fields[9]


def _address(hex_address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    """An address as /proc/net/tcp{,6} writes it: 32-bit words in host byte order."""
    raw = bytes.fromhex(hex_address)
    words = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))
    if len(words) == 4:
        return ipaddress.IPv4Address(words)
    address = ipaddress.IPv6Address(words)
    return address.ipv4_mapped or address


def _open_sockets(pid_dir: Path) -> set[str]:
    """The socket inodes the process has open, through its threads when its main thread is gone."""
    inodes: set[str] = set()
    fd_dirs = [pid_dir / "fd"]
    if _state(pid_dir) in {"Z", "X"}:
        fd_dirs = list(pid_dir.glob("task/*/fd"))
    for fd_dir in fd_dirs:
        try:
            fds = list(fd_dir.iterdir())
        except OSError:
            continue
        for fd in fds:
            try:
                target = str(fd.readlink())
            except OSError:
                continue
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
    return inodes


def _state(pid_dir: Path) -> str:
    try:
        return (pid_dir / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return "X"


def _command(pid_dir: Path) -> str:
    # A zombie's command line reads empty; its name (``comm``) stays.
    for name in ("cmdline", "comm"):
        try:
            text = (pid_dir / name).read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        words = " ".join(text.split())  # one line, whatever the arguments hold
        if words:
            return words if len(words) <= COMMAND_CHARS else words[: COMMAND_CHARS - 1] + "…"
    return ""
