"""Benchmark: `campaignctl render` of each example, every output (site, rules PDF and DOCX too).

Run: .venv/bin/python bench/render.py
Target (issue 4): under 3 s per example for load + render, judged in process
(imports excluded, so the start-up of unrelated commands does not count). The
real CLI in a fresh process, as a user sees it, is shown beside it. Each figure
is the best of several runs.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from campaignctl.render.build import render  # noqa: E402
from campaignctl.spec import load_campaign  # noqa: E402

CLI = [sys.executable, "-m", "campaignctl.cli", "render"]
RUNS = 3
TARGET = 3.0


def _cli(campaign: Path, out: Path) -> float:
    best = float("inf")
    for _ in range(RUNS):
        shutil.rmtree(out, ignore_errors=True)
        started = time.perf_counter()
        done = subprocess.run(
            [*CLI, str(campaign), "--out", str(out)], capture_output=True, check=False
        )
        best = min(best, time.perf_counter() - started)
        if done.returncode != 0:
            raise SystemExit(done.stderr.decode())
    return best


def _in_process(campaign: Path, out: Path) -> float:
    render(load_campaign(campaign), out)  # warm: imports, template compilation
    best = float("inf")
    for _ in range(RUNS):
        started = time.perf_counter()
        render(load_campaign(campaign), out)
        best = min(best, time.perf_counter() - started)
    return best


def main() -> int:
    failed = False
    print(f"{'example':<14} {'CLI best of ' + str(RUNS):>14} {'in-process':>11} {'target':>7}")
    with tempfile.TemporaryDirectory() as tmp:
        for campaign in sorted((ROOT / "examples").glob("*/campaign.yaml")):
            out = Path(tmp) / campaign.parent.name
            cli = _cli(campaign, out)
            warm = _in_process(campaign, out)
            failed |= warm >= TARGET
            print(f"{campaign.parent.name:<14} {cli:>13.2f}s {warm:>10.2f}s {TARGET:>6.1f}s")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
