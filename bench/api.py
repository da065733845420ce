"""Sustained registrations over loopback with wrk, and /healthz as the reference.

Copies the bottle-caps example to a temporary folder (anti-fraud limits raised so
one client address is not throttled), generates a batch, starts `campaignctl up
--detach` on a free port, runs wrk for DURATION seconds against
POST /api/v1/registrations (a fresh code and phone per request), then against
/healthz, and prints throughput and p50/p99. Needs wrk (Debian package `wrk`).

    .venv/bin/python bench/api.py [DURATION_SECONDS]
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "campaignctl"]
THREADS, CONNECTIONS = 2, 32


def run(*args: str, cwd: Path, env: dict[str, str] | None = None) -> str:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=True, env=env).stdout


def wrk(url: str, seconds: int, script: Path | None, env: dict[str, str]) -> dict[str, float]:
    args = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency"]
    if script is not None:
        args += ["-s", str(script)]
    out = run(*args, url, cwd=ROOT, env=env)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])  # type: ignore[index]
    lat = dict(re.findall(r"\s+(50|99)%\s+([\d.]+\w+)", out))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": rps,
        "p50": _ms(lat["50"]),
        "p99": _ms(lat["99"]),
        "non2xx": float(non2xx[1]) if non2xx else 0.0,
    }


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(\w+)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def main() -> None:
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    if shutil.which("wrk") is None:
        sys.exit("wrk not found: apt-get install wrk")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "caps"
        shutil.copytree(
            ROOT / "examples" / "bottle-caps",
            folder,
            ignore=shutil.ignore_patterns(".campaignctl", "build", "print"),
        )
        spec = (folder / "campaign.yaml").read_text()
        spec = re.sub(r"(max_attempts_per_\w+): \d+", r"\1: 100000000", spec)
        (folder / "campaign.yaml").write_text(spec)
        count = max(100_000, 3_000 * seconds)
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
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        run(
            *CLI,
            "up",
            "campaign.yaml",
            "--detach",
            "--port",
            str(port),
            "--clock",
            "start",
            cwd=folder,
        )
        try:
            env = dict(os.environ, BENCH_CODES=str(codes_file), BENCH_THREADS=str(THREADS))
            base = f"http://127.0.0.1:{port}"
            reg = wrk(
                f"{base}/api/v1/registrations",
                seconds,
                ROOT / "bench" / "api_registrations.lua",
                env,
            )
            health = wrk(f"{base}/healthz", min(seconds, 20), None, env)
            status = run(*CLI, "status", "campaign.yaml", cwd=folder)
        finally:
            run(*CLI, "stop", "campaign.yaml", cwd=folder)
    print(
        f"registrations: {reg['rps']:.0f}/s  p50 {reg['p50']:.1f} ms  p99 {reg['p99']:.1f} ms  non-2xx {reg['non2xx']:.0f}"
    )
    print(
        f"/healthz:      {health['rps']:.0f}/s  p50 {health['p50']:.1f} ms  p99 {health['p99']:.1f} ms"
    )
    print(
        f"ratio: {reg['rps'] / health['rps']:.2f} (target >= 0.5); {THREADS} wrk threads, {CONNECTIONS} connections, {seconds} s"
    )
    print(status)


if __name__ == "__main__":
    main()
