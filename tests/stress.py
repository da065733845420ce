"""Run a test folder many times in a row while busy loops hold every core: the flake hunt.

``make stress`` runs ``tests/runtime/`` 20 times this way. A test that passes
alone but fails here depends on timing (a port, a sleep, a deadline) and would
one day fail CI on a loaded machine.

    python tests/stress.py --runs 20 tests/runtime
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

BUSY = "while True: pass"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", help="test files or folders for pytest")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--load", type=int, default=os.cpu_count() or 1, help="busy processes")
    args = parser.parse_args()
    busy = [subprocess.Popen([sys.executable, "-c", BUSY]) for _ in range(args.load)]
    failed = []
    try:
        for run in range(1, args.runs + 1):
            started = time.monotonic()
            done = subprocess.run(
                [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args.paths],
                capture_output=True,
                text=True,
                check=False,
            )
            summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
            print(f"run {run}/{args.runs}: {summary} ({time.monotonic() - started:.0f} s)")
            if done.returncode != 0:
                failed.append(run)
                print(done.stdout[-6000:], done.stderr[-2000:], sep="\n")
            sys.stdout.flush()
    finally:
        for process in busy:
            process.kill()
            process.wait()
    print(f"{args.runs} runs under {args.load} busy loops: {len(failed)} failed {failed or ''}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
