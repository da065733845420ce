"""Instructions per code registration and per /healthz, in process, counted by callgrind.

CPU time on a shared virtual machine moves by a third from one minute to the
next, so a change worth a few per cent cannot be seen in bench/api.py or
bench/registration_cpu.py without many runs. The number of instructions the
process executes does not move: the same requests give the same count to a few
hundredths of a per cent. This script counts them with valgrind's callgrind
(Debian package ``valgrind``) for N registrations (fresh code and phone each, as
bench/registration_cpu.py sends them) and then N ``GET /healthz``, on one event
loop, 32 at a time, after a warm-up of 500 + N registrations, with the garbage
collector paused during the counted rounds (a full collection falling into one
round or the other would add a fifth to it).

It counts user-space instructions only: the kernel's work (SQLite's WAL writes)
and the cost of cache misses are not in it. Use it to compare two versions of
the code; bench/api.py says what a version does over HTTP.

    .venv/bin/python bench/registration_instructions.py [-n 300] [--keep DIR]

Prints instructions per request for both and their ratio. ``--keep DIR`` keeps the
two callgrind files (``callgrind_annotate --inclusive=yes DIR/*.reg``) to see where
the instructions go. It takes about 40 s for the default 300.
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.api import _bench_campaign, _codes  # noqa: E402
from bench.registration_cpu import WARM_UP, _measure, _registration, _scope  # noqa: E402

INNER = "CAMPAIGNCTL_BENCH_UNDER_CALLGRIND"
CONCURRENCY = 32


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", "--requests", type=int, default=300)
    parser.add_argument("--keep", type=Path, default=None, help="keep the callgrind files here")
    args = parser.parse_args()
    if os.environ.get(INNER):
        _count(args.requests)
        return
    if shutil.which("valgrind") is None or shutil.which("callgrind_control") is None:
        sys.exit("valgrind not found: apt-get install valgrind")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        command = [
            "valgrind",
            "--tool=callgrind",
            "--cache-sim=no",
            "--instr-atstart=no",
            f"--callgrind-out-file={out}",
            sys.executable,
            __file__,
            "-n",
            str(args.requests),
        ]
        done = subprocess.run(
            command,
            check=False,
            env=dict(os.environ, **{INNER: "1"}),
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            sys.exit(f"the counted run failed:\n{done.stdout}\n{done.stderr[-3000:]}")
        print(done.stdout, end="")
        counts = {part: _total(Path(f"{out}.{i}")) for i, part in ((1, "reg"), (2, "healthz"))}
        if args.keep is not None:
            args.keep.mkdir(parents=True, exist_ok=True)
            for i, part in ((1, "reg"), (2, "healthz")):
                shutil.copy(f"{out}.{i}", args.keep / f"callgrind.{part}")
    n = args.requests
    reg, health = counts["reg"] / n, counts["healthz"] / n
    print(f"registration: {reg / 1e6:.3f} M instructions/request")
    print(f"/healthz:     {health / 1e6:.3f} M instructions/request")
    print(f"ratio registration/healthz: {reg / health:.2f}")


def _total(dump: Path) -> int:
    found = re.search(r"^totals: (\d+)", dump.read_text(), re.M)
    if found is None:
        sys.exit(f"no totals in {dump}")
    return int(found[1])


def _callgrind(*args: str) -> None:
    subprocess.run(["callgrind_control", *args, str(os.getpid())], check=True, capture_output=True)


def _count(n: int) -> None:
    """Inside valgrind: warm up, then count a registration round and a /healthz round."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "caps"
        _bench_campaign(folder)
        codes = _codes(folder, WARM_UP + 2 * n).read_text().split()

        from campaignctl.runtime.app import create_app  # noqa: PLC0415
        from campaignctl.runtime.context import CLOCK_ENV  # noqa: PLC0415
        from campaignctl.runtime.serve import SWITCH_INTERVAL  # noqa: PLC0415
        from campaignctl.runtime.up import clock_offset  # noqa: PLC0415
        from campaignctl.spec import load_campaign  # noqa: PLC0415

        campaign = load_campaign(folder / "campaign.yaml")
        os.environ[CLOCK_ENV] = str(clock_offset(campaign, "start"))
        sys.setswitchinterval(SWITCH_INTERVAL)
        app = create_app(campaign)
        registrations = [
            _registration(code, f"+7900{i:07d}") for i, code in enumerate(codes[: WARM_UP + 2 * n])
        ]
        health = [(_scope("GET", "/healthz", []), b"") for _ in range(n)]
        # Warm-up: first-call caches, then a round like the counted one.
        _measure(app, registrations[:WARM_UP], CONCURRENCY)
        _measure(app, health[: min(n, 200)], CONCURRENCY)
        _measure(app, registrations[WARM_UP : WARM_UP + n], CONCURRENCY)
        gc.collect()
        gc.disable()
        _callgrind("--instr=on")
        _, reg = _measure(app, registrations[WARM_UP + n :], CONCURRENCY)
        _callgrind("--dump=registrations")
        _, checks = _measure(app, health, CONCURRENCY)
        _callgrind("--dump=healthz")
        _callgrind("--instr=off")
        gc.enable()
        app.state.runtime.engine.dispose()
    if set(reg) != {201} or set(checks) != {200}:
        sys.exit(f"an answer was not 201/200: {dict(reg)} {dict(checks)}")


if __name__ == "__main__":
    main()
