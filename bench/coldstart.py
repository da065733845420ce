"""Benchmark: what a Cloud Function's cold start costs here, by part: imports, then the database.

Run: .venv/bin/python bench/coldstart.py   (needs the local MariaDB, as Managed MySQL's stand-in)

Each figure is the median of several fresh interpreters (a cold start is a new
process): importing the handler module the functions' entry points name, then
opening the runtime context on a database already at the newest migration (every
cold start after the first) and on an empty one (the first after a deploy that
adds migrations). The KMS decryption and the network to Managed MySQL are not
here: measure those in the cloud.
"""

from __future__ import annotations

import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
MARIADB = "mysql+pymysql://root@127.0.0.1:3306"
RUNS = 5

PROBE = """
import sys, time
t0 = time.perf_counter()
import campaignctl.stack.yandex.handler
t1 = time.perf_counter()
from campaignctl.runtime.app import build_context
from campaignctl.spec import load_campaign
from pathlib import Path
campaign = load_campaign(Path(sys.argv[1]))
t2 = time.perf_counter()
ctx = build_context(campaign, database_url=sys.argv[2], local=False)
t3 = time.perf_counter()
ctx.engine.dispose()
print(t1 - t0, t2 - t1, t3 - t2)
"""


def _run(spec: Path, url: str) -> list[float]:
    # The secrets a function decrypts at cold start, as its environment would hold them.
    env = {**os.environ, "SMARTCAPTCHA_SERVER_KEY": "bench", "BEREZKA_WEBHOOK_SECRET": "bench"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(spec), url],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        sys.exit(f"the probe failed:\n{done.stderr}")
    return [float(x) for x in done.stdout.split()]


def main() -> None:
    folder = Path(tempfile.mkdtemp())
    shutil.copytree(ROOT / "examples" / "receipt-draw", folder / "c")
    spec = folder / "c" / "campaign.yaml"
    admin = create_engine(MARIADB)
    fresh, current = [], []
    for _ in range(RUNS):
        name = f"bench_{secrets.token_hex(4)}"
        with admin.begin() as conn:
            conn.execute(text(f"CREATE DATABASE {name}"))
        try:
            fresh.append(_run(spec, f"{MARIADB}/{name}"))
            current.append(_run(spec, f"{MARIADB}/{name}"))
        finally:
            with admin.begin() as conn:
                conn.execute(text(f"DROP DATABASE {name}"))
    admin.dispose()
    shutil.rmtree(folder)

    def ms(rows: list[list[float]], i: int) -> str:
        return f"{statistics.median(r[i] for r in rows) * 1000:.0f} ms"

    print(f"cold start, median of {RUNS} fresh interpreters (MariaDB on 127.0.0.1):")
    print(f"  import campaignctl.stack.yandex.handler: {ms(current, 0)}")
    print(f"  load and validate the campaign:          {ms(current, 1)}")
    print(f"  runtime context, database at the head:   {ms(current, 2)}")
    print(f"  runtime context, empty database:         {ms(fresh, 2)} (migrations)")


if __name__ == "__main__":
    main()
