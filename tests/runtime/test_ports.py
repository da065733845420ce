"""Who holds a port: a live listener named by pid, an exiting process waited for, a free port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from campaignctl.runtime import ports, process
from campaignctl.runtime.up import _check_port
from tests.conftest import free_port

HOST = "127.0.0.1"


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    with socket.socket() as sock:
        sock.bind((HOST, free_port()))
        sock.listen()
        yield sock


def test_a_free_port_has_no_holders() -> None:
    port = free_port()
    assert ports.bindable(HOST, port)
    assert ports.holders(HOST, port) == []
    _check_port(HOST, port)


def test_a_listener_is_named_by_pid_and_command(listener: socket.socket) -> None:
    port = listener.getsockname()[1]
    assert not ports.bindable(HOST, port)
    found = ports.holders(HOST, port)
    assert [(h.pid, h.exiting) for h in found] == [(os.getpid(), False)]
    assert "pytest" in found[0].command or "python" in found[0].command
    with pytest.raises(process.PortBusy) as caught:
        _check_port(HOST, port)
    assert f"is in use by pid {os.getpid()} (" in caught.value.message


def test_a_listener_on_every_address_holds_the_loopback_port() -> None:
    with socket.socket() as sock:
        sock.bind(("0.0.0.0", free_port()))  # noqa: S104 - the wildcard is what is tested
        sock.listen()
        port = sock.getsockname()[1]
        assert [h.pid for h in ports.holders(HOST, port)] == [os.getpid()]
        assert ports.holders("127.0.0.2", port) != []


def test_a_listener_on_another_loopback_address_is_not_a_holder(listener: socket.socket) -> None:
    assert ports.holders("127.0.0.2", listener.getsockname()[1]) == []


# A process whose main thread has ended while another still holds its listening
# socket: what a killed multi-threaded server looks like for a moment.
_EXITING = textwrap.dedent(
    """
    import ctypes, socket, sys, threading, time
    sock = socket.socket()
    sock.bind(("127.0.0.1", int(sys.argv[1])))
    sock.listen()
    def hold():
        time.sleep(float(sys.argv[2]))
        sock.close()
    threading.Thread(target=hold).start()
    print("listening", flush=True)
    ctypes.CDLL(None).pthread_exit(None)
    """
)


def _exiting_holder(port: int, hold_seconds: float) -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [sys.executable, "-c", _EXITING, str(port), str(hold_seconds)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline() == "listening\n"
    return child


def test_an_exiting_process_is_waited_for() -> None:
    port = free_port()
    child = _exiting_holder(port, 1.0)
    try:
        found = ports.holders(HOST, port)
        assert [(h.pid, h.exiting) for h in found] == [(child.pid, True)]
        started = time.monotonic()
        _check_port(HOST, port)  # waits for the thread to let go, then finds the port free
        assert time.monotonic() - started < ports.EXIT_GRACE_SECONDS
    finally:
        child.wait(10)


def test_an_exiting_process_that_outlasts_the_grace_is_named() -> None:
    port = free_port()
    child = _exiting_holder(port, 30.0)
    try:
        found = ports.wait_for_port(HOST, port, seconds=0.2)
        assert found is not None
        assert [(h.pid, h.exiting) for h in found] == [(child.pid, True)]
        assert found[0].describe().endswith(", exiting)")
    finally:
        child.kill()
        child.wait(10)


def test_a_zombie_is_not_a_running_server() -> None:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    stat = Path(f"/proc/{child.pid}/stat")
    deadline = time.monotonic() + 30
    while stat.read_text().rsplit(")", 1)[1].split()[0] != "Z" and time.monotonic() < deadline:
        time.sleep(0.02)
    os.kill(child.pid, 0)  # not reaped yet: kill() still finds it
    assert not process._alive(child.pid)
    child.wait()


def test_a_long_command_line_is_shown_on_one_line() -> None:
    script = "import socket, sys, time\n" + "#" * 300 + "\ns = socket.socket()\n"
    script += "s.bind(('127.0.0.1', int(sys.argv[1]))); s.listen(); print('ok', flush=True)\n"
    script += "time.sleep(30)\n"
    port = free_port()
    child = subprocess.Popen(
        [sys.executable, "-c", script, str(port)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None and child.stdout.readline() == "ok\n"
        (holder,) = ports.holders(HOST, port)
        assert "\n" not in holder.command and len(holder.command) <= ports.COMMAND_CHARS
        assert holder.command.startswith(sys.executable)
    finally:
        child.kill()
        child.wait(10)


def test_a_holder_that_lets_go_between_the_two_looks_is_no_holder(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The bind fails, then the holder closes before /proc is read: nobody is found.
    binds = iter([False, True])
    monkeypatch.setattr(ports, "bindable", lambda host, port: next(binds))
    monkeypatch.setattr(ports, "holders", lambda host, port: [])
    assert ports.wait_for_port(HOST, 1, seconds=5) is None
