"""Benchmark: `campaignctl report` over 1,000,000 registrations (issue 7: < 10 s).

Run: .venv/bin/python bench/report.py [--registrations N] [--participants N] [--keep DIR]

Seeds a copy of examples/bottle-caps with N registrations (codes from two
batches, one voided; four channels; 84 days; some instant wins) by P
participants with sealed phones and cities, then times `campaignctl report`
in a fresh process (imports, SQL aggregates, opening every sealed city,
charts, HTML, CSV, JSON).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from campaignctl.runtime.sealing import ensure_sealer  # noqa: E402
from campaignctl.state import database_url  # noqa: E402
from campaignctl.store import CodeStore, open_engine, upgrade  # noqa: E402
from campaignctl.store.runtime_tables import participants, registrations  # noqa: E402
from campaignctl.store.tables import code_redemptions  # noqa: E402

CITIES = ["Москва", "Санкт-Петербург", "Казань", "Новосибирск", "Екатеринбург", "Самара", "Омск"]
CHANNELS = ["site"] * 6 + ["sms"] * 3 + ["chatbot"]
CHUNK = 50_000


def seed(folder: Path, count: int, people: int) -> None:
    rng = random.Random(7)
    engine = open_engine(database_url(folder))
    upgrade(engine)
    sealer = ensure_sealer(folder)
    store = CodeStore(engine)
    good = store.allocate("run-1", count + 1000, "keyed")
    bad = store.allocate("run-2", 100_000, "keyed")
    assert good is not None and bad is not None
    store.set_state(good.id, "shipped")
    store.add_voids(good.id, [(0, 999)], "misprint")
    store.set_state(bad.id, "voided")
    now = datetime(2027, 6, 7, tzinfo=UTC)
    with engine.begin() as conn:
        for start in range(0, people, CHUNK):
            conn.execute(
                insert(participants),
                [
                    {
                        "id": i + 1,
                        "phone_hash": sealer.digest(f"+7916{i:07d}"),
                        "phone_sealed": sealer.seal(f"+7916{i:07d}"),
                        "details_sealed": sealer.seal(
                            json.dumps({"city": rng.choice(CITIES)}, ensure_ascii=False)
                        ),
                        "created_at": now,
                    }
                    for i in range(start, min(people, start + CHUNK))
                ],
            )
        for start in range(0, count, CHUNK):
            rows, redeemed = [], []
            for i in range(start, min(count, start + CHUNK)):
                at = now + timedelta(seconds=rng.randrange(84 * 86400))
                serial = 1000 + i
                prize = "bottle" if i % 50 == 0 else None
                rows.append(
                    {
                        "id": str(uuid.UUID(int=rng.getrandbits(128))),
                        "participant_id": 1 + rng.randrange(people),
                        "channel": rng.choice(CHANNELS),
                        "mechanic": "codes",
                        "code_serial": serial,
                        "code_batch": "run-1",
                        "receipt_key": None,
                        "outcome": "instant_win" if prize else "draw_entry",
                        "prize_id": prize,
                        "draw_entries": 1,
                        "points": 0,
                        "tier": None,
                        "ip": None,
                        "device": None,
                        "moderation": "none",
                        "created_at": at,
                    }
                )
                redeemed.append(
                    {"serial": serial, "batch_id": good.id, "redeemed_at": at, "channel": "site"}
                )
            conn.execute(insert(registrations), rows)
            conn.execute(insert(code_redemptions), redeemed)
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--registrations", type=int, default=1_000_000)
    parser.add_argument("--participants", type=int, default=300_000)
    parser.add_argument("--keep", type=Path, help="Seed into (or reuse) this folder.")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="bench-report-"))
    folder = root / "bottle-caps"
    if not (folder / ".campaignctl" / "state.db").exists():
        shutil.copytree(ROOT / "examples" / "bottle-caps", folder, dirs_exist_ok=True)
        started = time.perf_counter()
        seed(folder, args.registrations, args.participants)
        print(
            f"seeded {args.registrations:,} registrations in {time.perf_counter() - started:.1f} s"
        )
    command = [str(ROOT / ".venv" / "bin" / "campaignctl"), "report", str(folder / "campaign.yaml")]
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        runs.append(time.perf_counter() - started)
    print(
        f"report over {args.registrations:,} registrations / {args.participants:,} participants: "
        f"best {min(runs):.2f} s of {len(runs)} (fresh process each), runs "
        + ", ".join(f"{r:.2f}" for r in runs)
    )
    if args.keep is None:
        shutil.rmtree(root)


if __name__ == "__main__":
    main()
