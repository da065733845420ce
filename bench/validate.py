"""Benchmark: how long `campaignctl validate` takes on examples and hostile input.

Run: .venv/bin/python bench/validate.py
Targets (issue 2): an example under 0.5 s; an alias bomb or a 20 MB file
refused with a clear message in under 2 s. Each figure is the best of several
runs of the real CLI in a fresh process (imports included), as a user sees it.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "campaignctl.cli", "validate", "-q"]
RUNS = 5


def _time(path: Path) -> tuple[float, int, str]:
    best = float("inf")
    code, last = 0, ""
    for _ in range(RUNS):
        started = time.perf_counter()
        done = subprocess.run([*CLI, str(path)], capture_output=True, text=True, check=False)
        best = min(best, time.perf_counter() - started)
        code, last = done.returncode, (done.stdout + done.stderr).strip().splitlines()[-1]
    return best, code, last


def _huge(folder: Path) -> Path:
    path = folder / "huge.yaml"
    line = b"key: " + b"x" * 95 + b"\n"
    with path.open("wb") as handle:
        handle.write(line * (20 * 1024 * 1024 // len(line) + 1))
    return path


def main() -> int:
    cases: list[tuple[str, Path, float]] = [
        (p.parent.name, p, 0.5) for p in sorted((ROOT / "examples").glob("*/campaign.yaml"))
    ]
    cases.append(("alias bomb", ROOT / "tests/spec/fixtures/invalid/alias-bomb.yaml", 2.0))
    cases.append(("deep nesting", ROOT / "tests/spec/fixtures/invalid/deep-nesting.yaml", 2.0))
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        cases.append(("20 MB file", _huge(Path(tmp)), 2.0))
        print(f"{'case':<16} {'best of ' + str(RUNS):>10} {'target':>8} exit  last line")
        for name, path, target in cases:
            seconds, code, last = _time(path)
            ok = seconds < target
            failed |= not ok
            print(f"{name:<16} {seconds:>9.3f}s {target:>7.1f}s {code:>4}  {last[:70]}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
