"""Benchmark: 10,000,000 keyed codes to print files, validate speed, and a naive baseline.

Run: .venv/bin/python bench/codes.py [--count N] [--baseline N]

Each phase runs in a fresh child process so that its peak RSS is its own.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from campaignctl.codes import batches  # noqa: E402
from campaignctl.codes.ledger import CodeLedger  # noqa: E402
from campaignctl.model.codes import DEFAULT_ALPHABET, CodesSpec, PrintSettings  # noqa: E402


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _spec(count: int) -> CodesSpec:
    return CodesSpec(
        count=count, length=11, group_size=4, print=PrintSettings(rows_per_file=500_000)
    )


def generate(count: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        ledger = CodeLedger.open(folder, _spec(count))
        start = time.perf_counter()
        result = batches.generate(ledger, "bench", count, folder / "print")
        wall = time.perf_counter() - start
        size = sum(f.bytes for f in result.manifest.files)
        rows = sum(f.rows for f in result.manifest.files)
        ledger.close()
    return {
        "codes": rows,
        "files": len(result.manifest.files),
        "bytes": size,
        "wall_s": round(wall, 2),
        "peak_rss_mb": round(_peak_mb(), 1),
    }


def validate(count: int, calls: int = 200_000) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        ledger = CodeLedger.open(folder, _spec(count))
        batches.generate(ledger, "bench", count, folder / "print")
        rng = random.Random(1)
        valid = [ledger.codec.encode(rng.randrange(count)) for _ in range(calls // 2)]
        guesses = ["".join(rng.choices(DEFAULT_ALPHABET, k=12)) for _ in range(calls // 2)]
        inputs = [c for pair in zip(valid, guesses, strict=True) for c in pair]
        ledger.validate(inputs[0])  # load the batch book once, as a server does
        start = time.perf_counter()
        ok = sum(ledger.validate(text).ok for text in inputs)
        wall = time.perf_counter() - start
        assert ok == calls // 2, ok
        start = time.perf_counter()
        checked = sum(ledger.check(text).ok for text in inputs[:20_000])
        check_wall = time.perf_counter() - start
        assert checked == 10_000
        ledger.close()
    return {
        "validate_calls": calls,
        "validate_per_s": round(calls / wall),
        "check_with_db_per_s": round(20_000 / check_wall),
    }


def naive(count: int) -> dict[str, object]:
    """What peers do: random strings, a Python set against duplicates, rows in a table."""
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        rng = random.SystemRandom()
        seen: set[str] = set()
        while len(seen) < count:
            seen.add("".join(rng.choices(DEFAULT_ALPHABET, k=12)))
        strings = time.perf_counter() - start
        db = sqlite3.connect(Path(tmp) / "naive.db")
        db.execute("CREATE TABLE codes (code TEXT PRIMARY KEY, batch TEXT)")
        db.executemany("INSERT INTO codes VALUES (?, 'bench')", ((c,) for c in seen))
        db.commit()
        with (Path(tmp) / "naive.csv").open("w") as handle:
            handle.writelines(f"{c}\n" for c in seen)
        wall = time.perf_counter() - start
        db.close()
    return {
        "codes": count,
        "wall_s": round(wall, 2),
        "strings_s": round(strings, 2),
        "peak_rss_mb": round(_peak_mb(), 1),
    }


PHASES = {"generate": generate, "validate": validate, "naive": naive}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=10_000_000)
    parser.add_argument("--baseline", type=int, default=1_000_000)
    parser.add_argument("--phase", choices=sorted(PHASES), help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(PHASES[args.phase](args.n)))
        return
    results = {}
    for phase, n in (("generate", args.count), ("validate", 1_000_000), ("naive", args.baseline)):
        out = subprocess.run(
            [sys.executable, __file__, "--phase", phase, "--n", str(n)],
            check=True,
            capture_output=True,
            text=True,
        )
        results[phase] = json.loads(out.stdout)
        print(f"{phase:9} {results[phase]}", flush=True)
    g, v, b = results["generate"], results["validate"], results["naive"]
    print()
    print(
        f"keyed codes: {g['codes']:,} to {g['files']} print files in {g['wall_s']} s, peak RSS {g['peak_rss_mb']} MB"
    )
    print(
        f"validate:    {v['validate_per_s']:,} calls/s in-process (key + batch book); check with DB lookup {v['check_with_db_per_s']:,}/s"
    )
    print(
        f"naive:       {b['codes']:,} codes in {b['wall_s']} s ({b['strings_s']} s making strings "
        f"with SystemRandom), peak RSS {b['peak_rss_mb']} MB"
    )


if __name__ == "__main__":
    main()
