"""Sustained registrations over loopback with wrk, and /healthz as the reference.

Copies the bottle-caps example to a temporary folder, generates a batch, starts
`campaignctl up --detach` on a free port, runs wrk for SECONDS against
POST /api/v1/registrations (a fresh code and phone per request), then against
/healthz, and prints throughput, p50/p99 and every response code. After the run
it checks the database: one registration row and one outbox message per 201,
no prize stock below zero. A run with any non-201 registration answer or a
failed check is reported as such. Needs wrk (Debian package `wrk`).

The bench campaign's attempt limits (per phone per day, per IP per hour) are
raised to 100,000,000: all requests come from one loopback address, and the
example's 60 attempts per IP per hour would throttle the run after a fraction of
a second. The counters are still read and bumped on every request, so their
cost is measured; they are just never exceeded. The failed-attempt budget (20
per day) stays: every code sent is valid, so a failure would be a bug, and it
would show in the response codes.

    .venv/bin/python bench/api.py [SECONDS] [--workers N] [--profile OUT.txt]

`--workers` is passed to `campaignctl up` (default: one HTTP process per core,
at most 4, under a supervisor that runs the jobs; see docs/runtime.md).

`--profile` samples the server with py-spy (`.venv/bin/pip install py-spy`) during
the registration run and writes the raw stacks to OUT.txt, then prints the top frames.
Set CAMPAIGNCTL_DATABASE_URL to run against PostgreSQL or MariaDB instead of SQLite.
"""

from __future__ import annotations

import argparse
import collections
import csv
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CLI = [sys.executable, "-m", "campaignctl"]
THREADS, CONNECTIONS = 2, 32
LIMIT = 100_000_000


def run(*args: str, cwd: Path, env: dict[str, str] | None = None) -> str:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=True, env=env).stdout


def wrk(url: str, seconds: int, env: dict[str, str]) -> dict[str, object]:
    args = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency"]
    args += ["-s", str(ROOT / "bench" / "api_registrations.lua"), url]
    out = run(*args, cwd=ROOT, env=env)
    lat = dict(re.findall(r"\s+(50|99)%\s+([\d.]+\w+)", out))
    statuses: collections.Counter[int] = collections.Counter()
    for status, count in re.findall(r"^status (\d+) (\d+)$", out, re.M):
        statuses[int(status)] += int(count)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    duration = re.search(r"requests in ([\d.]+)(\w+),", out)
    assert duration is not None, out
    seconds_run = float(duration[1]) * {"ms": 0.001, "s": 1.0, "m": 60.0}[duration[2]]
    return {
        "seconds": seconds_run,
        "statuses": statuses,
        "p50": _ms(lat["50"]),
        "p99": _ms(lat["99"]),
        "socket_errors": socket_errors[1] if socket_errors else "none",
    }


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(\w+)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def _cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of the server processes so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def _server_pids(pid: int) -> list[int]:
    """The server and its worker processes (uvicorn --workers forks children)."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    kids = [int(p) for p in children.read_text().split()] if children.exists() else []
    return [pid, *kids]


def _wait_idle(pids: list[int], limit: float = 30.0) -> None:
    """Wait until start-up jobs (the first daily report, the first delivery round) are done."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        before = _cpu_seconds(pids)
        time.sleep(1.0)
        if _cpu_seconds(pids) - before < 0.05:
            return


def _bench_campaign(folder: Path) -> None:
    shutil.copytree(
        ROOT / "examples" / "bottle-caps",
        folder,
        ignore=shutil.ignore_patterns(".campaignctl", "build", "print"),
    )
    spec = (folder / "campaign.yaml").read_text()
    spec, raised = re.subn(
        r"(max_attempts_per_phone_per_day|max_attempts_per_ip_per_hour): \d+",
        rf"\1: {LIMIT}",
        spec,
    )
    assert raised == 2, "the example's anti_fraud section changed"
    (folder / "campaign.yaml").write_text(spec)


def _codes(folder: Path, count: int) -> Path:
    run(
        *CLI,
        "codes",
        "generate",
        "campaign.yaml",
        "--batch",
        "bench",
        "--count",
        str(count),
        cwd=folder,
    )
    codes_file = folder / "codes.txt"
    with codes_file.open("w") as out:
        for part in sorted((folder / "print" / "bench").glob("*.csv")):
            with part.open() as f:
                out.writelines(row["code"] + "\n" for row in csv.DictReader(f))
    return codes_file


def _check_database(folder: Path) -> dict[str, int]:
    from sqlalchemy import func, select  # noqa: PLC0415

    from campaignctl.queue.tables import outbox  # noqa: PLC0415
    from campaignctl.state import database_url  # noqa: PLC0415
    from campaignctl.store import open_engine  # noqa: PLC0415
    from campaignctl.store.runtime_tables import prize_stock, registrations  # noqa: PLC0415
    from campaignctl.store.tables import code_redemptions  # noqa: PLC0415

    engine = open_engine(database_url(folder))
    try:
        with engine.connect() as conn:
            return {
                "registrations": conn.execute(
                    select(func.count()).select_from(registrations)
                ).scalar_one(),
                "redemptions": conn.execute(
                    select(func.count()).select_from(code_redemptions)
                ).scalar_one(),
                "outbox": conn.execute(select(func.count()).select_from(outbox)).scalar_one(),
                "min_stock": conn.execute(select(func.min(prize_stock.c.remaining))).scalar_one(),
            }
    finally:
        engine.dispose()


def _profile(pid: int, seconds: int, out: Path) -> subprocess.Popen[bytes]:
    spy = shutil.which("py-spy", path=str(Path(sys.executable).parent)) or shutil.which("py-spy")
    if spy is None:
        sys.exit("py-spy not found: .venv/bin/pip install py-spy")
    args = [spy, "record", "-p", str(pid), "-d", str(seconds), "-r", "100", "-f", "raw"]
    return subprocess.Popen([*args, "--subprocesses", "-o", str(out)], stdout=subprocess.DEVNULL)


def _top_frames(raw: Path, n: int = 25) -> str:
    own: collections.Counter[str] = collections.Counter()
    ours: collections.Counter[str] = collections.Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        frames = stack.split(";")
        total += int(count)
        own[frames[-1]] += int(count)
        for frame in {f for f in frames if "campaignctl/" in f}:
            ours[frame] += int(count)
    lines = [f"{total} samples; own time:"]
    lines += [f"  {100 * c / total:5.1f}%  {f}" for f, c in own.most_common(n)]
    lines += ["campaignctl frames, inclusive:"]
    lines += [f"  {100 * c / total:5.1f}%  {f}" for f, c in ours.most_common(n)]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("seconds", nargs="?", type=int, default=60)
    parser.add_argument("--profile", type=Path, default=None, help="py-spy raw output file")
    parser.add_argument("--workers", type=int, default=None, help="HTTP server processes")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk not found: apt-get install wrk")
    seconds: int = args.seconds
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "caps"
        _bench_campaign(folder)
        codes_file = _codes(folder, max(100_000, 3_000 * seconds))
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        up = [*CLI, "up", "campaign.yaml", "--detach", "--port", str(port), "--clock", "start"]
        if args.workers:
            up += ["--workers", str(args.workers)]
        run(*up, cwd=folder)
        try:
            pid = int(
                re.search(r'"pid": (\d+)', (folder / ".campaignctl" / "server.json").read_text())[1]
            )  # type: ignore[index]
            pids = _server_pids(pid)
            _wait_idle(pids)
            env = dict(os.environ, BENCH_CODES=str(codes_file), BENCH_THREADS=str(THREADS))
            base = f"http://127.0.0.1:{port}"
            load = os.getloadavg()[0]
            spy = _profile(pid, seconds - 2, args.profile) if args.profile else None
            cpu0, t0 = _cpu_seconds(pids), time.monotonic()
            reg = wrk(f"{base}/api/v1/registrations", seconds, env)
            cpu_reg, wall_reg = _cpu_seconds(pids) - cpu0, time.monotonic() - t0
            if spy is not None:
                spy.wait()
            # The reference run starts once the server is quiet again: the supervisor's
            # background work (WAL checkpoints, the CRM backlog) may still be catching up.
            _wait_idle(pids)
            health = wrk(f"{base}/healthz", min(seconds, 20), dict(env, BENCH_MODE="get"))
            status = run(*CLI, "status", "campaign.yaml", cwd=folder)
        finally:
            run(*CLI, "stop", "campaign.yaml", cwd=folder)
        db = _check_database(folder)
    _report(reg, health, db, seconds, load, cpu_reg / wall_reg, max(1, len(pids) - 1))
    print(status)
    if args.profile:
        print(_top_frames(args.profile))


def _report(
    reg: dict[str, object],
    health: dict[str, object],
    db: dict[str, int],
    seconds: int,
    load: float,
    cpu_cores: float,
    workers: int,
) -> None:
    statuses = reg["statuses"]
    assert isinstance(statuses, collections.Counter)
    created = statuses[201]
    rate = created / float(reg["seconds"])  # type: ignore[arg-type]
    h_statuses = health["statuses"]
    assert isinstance(h_statuses, collections.Counter)
    h_rate = h_statuses[200] / float(health["seconds"])  # type: ignore[arg-type]
    problems = [f"{n} x {code}" for code, n in sorted(statuses.items()) if code != 201]
    problems += [f"/healthz {n} x {code}" for code, n in sorted(h_statuses.items()) if code != 200]
    if reg["socket_errors"] != "none" and "timeout 0" not in str(reg["socket_errors"]):
        problems.append(f"socket errors: {reg['socket_errors']}")
    # Exactly once: a row per 201 (a request wrk gave up on may still have committed).
    if db["registrations"] < created or db["redemptions"] != db["registrations"]:
        problems.append(f"database: {db}")
    if db["outbox"] != db["registrations"]:
        problems.append(f"outbox messages {db['outbox']} != registrations {db['registrations']}")
    if db["min_stock"] is not None and db["min_stock"] < 0:
        problems.append(f"negative prize stock: {db['min_stock']}")
    codes = ", ".join(f"{code}: {n}" for code, n in sorted(statuses.items()))
    print(
        f"registrations: {rate:.0f}/s  p50 {reg['p50']:.1f} ms  p99 {reg['p99']:.1f} ms  [{codes}]"
    )
    print(f"/healthz:      {h_rate:.0f}/s  p50 {health['p50']:.1f} ms  p99 {health['p99']:.1f} ms")
    print(
        f"ratio: {rate / h_rate:.2f} (target >= 0.5); server CPU {cpu_cores:.2f} cores during the run; "
        f"{workers} HTTP process(es); {THREADS} wrk threads, {CONNECTIONS} connections, {seconds} s; "
        f"load average before: {load:.2f}"
    )
    print(f"database after the run: {db}")
    print(
        "RESULT: "
        + ("WITH ERRORS: " + "; ".join(problems) if problems else "clean (every answer 201)")
    )


if __name__ == "__main__":
    main()
