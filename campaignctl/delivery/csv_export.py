"""The CSV export for CRMs that import files: spooled by the worker, collected on a schedule.

The worker writes each registration's row to ``exports/crm/spool/<key>.json``
(a retry overwrites the same file, so a row is never spooled twice). The export
job moves the spooled rows into a batch folder, writes the batch as one CSV
file (``exports/crm/crm-<batch>.csv``, ``;``-separated, UTF-8 with BOM for
Excel and Bitrix24 import) and then deletes the batch folder. A batch folder
left by a crash is finished first and under the same file name, so a crash
of the export job neither loses a row nor writes one twice. (A row can appear
in two files only if the worker died between spooling it and settling the
message and an export ran in between; the CRM's import dedupes on its columns.)
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import time
from pathlib import Path

from campaignctl.crm.document import CSV_DELIMITER, CSV_ENCODING
from campaignctl.crm.payload import csv_header
from campaignctl.model import Campaign
from campaignctl.state import state_dir


def export_dir(campaign: Campaign) -> Path:
    return state_dir(campaign.folder) / "exports" / "crm"


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.tmp")
    with temp.open("wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    temp.replace(path)


def spool_row(campaign: Campaign, key: str, row: dict[str, str]) -> None:
    name = hashlib.sha256(key.encode()).hexdigest()[:32]
    data = json.dumps({"key": key, "row": row}, ensure_ascii=False).encode("utf-8")
    _write_atomically(export_dir(campaign) / "spool" / f"{name}.json", data)


def _finish(campaign: Campaign, batch: Path) -> Path:
    header = csv_header(campaign)
    spooled = sorted(batch.glob("*.json"), key=lambda p: (p.stat().st_mtime_ns, p.name))
    lines: list[list[str]] = []
    for item in spooled:
        row = json.loads(item.read_text(encoding="utf-8"))["row"]
        lines.append([str(row.get(column, "")) for column in header])
    target = export_dir(campaign) / f"crm-{batch.name.removeprefix('batch-')}.csv"
    text = _csv_text(header, lines)
    _write_atomically(target, text.encode(CSV_ENCODING))
    for item in spooled:
        item.unlink()
    batch.rmdir()
    return target


def _csv_text(header: list[str], rows: list[list[str]]) -> str:
    from io import StringIO  # noqa: PLC0415

    buffer = StringIO()
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def export_csv(campaign: Campaign, *, now: float | None = None) -> list[Path]:
    """Collect the spooled rows into CSV files; the files written (none when nothing waited)."""
    root = export_dir(campaign)
    written = [_finish(campaign, batch) for batch in sorted(root.glob("batch-*")) if batch.is_dir()]
    spool = root / "spool"
    waiting = sorted(spool.glob("*.json")) if spool.is_dir() else []
    if not waiting:
        return written
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime(time.time() if now is None else now))
    batch = root / f"batch-{stamp}"
    suffix = 1
    while batch.exists() or (root / f"crm-{batch.name.removeprefix('batch-')}.csv").exists():
        suffix += 1
        batch = root / f"batch-{stamp}-{suffix}"
    batch.mkdir(parents=True)
    for item in waiting:
        item.rename(batch / item.name)
    written.append(_finish(campaign, batch))
    return written
