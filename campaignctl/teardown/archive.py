"""The archive of a finished campaign: what must outlive it, in one file with a checksum.

Kept: the final report (HTML, PDF, CSV, JSON), every draw's published files
(protocol and entries: ``campaignctl draw verify`` works from the archive
alone), the winners' tax records (the organizer is the tax agent and keeps
them for five years, Tax Code art. 230 p. 1), aggregate statistics, and the
campaign spec itself. The tax records are personal data: the archive is
written 0600 and must be stored as such.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, inspect, select

from campaignctl.draws.service import PUBLISHED_DIR
from campaignctl.draws.tables import winners
from campaignctl.model import Campaign
from campaignctl.reports.build import FINAL_DIR, REPORTS_DIR, write_report
from campaignctl.runtime.sealing import Sealer
from campaignctl.winners.taxes import open_tax_data, tax_lines

ARCHIVE_DIR = "archive"


@dataclass(frozen=True)
class Archive:
    path: Path
    checksum_path: Path
    sha256: str
    members: tuple[str, ...]


def _tax_records(engine: Engine, campaign: Campaign, sealer: Sealer) -> dict[str, bytes]:
    if not inspect(engine).has_table("winners"):
        return {}
    with engine.connect() as conn:
        lines = tax_lines(conn, campaign)
        rows = conn.execute(select(winners).order_by(winners.c.round_id, winners.c.id)).all()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        (
            "participant_id",
            "year",
            "prizes",
            "value_rub",
            "cash_part_rub",
            "taxable_rub",
            "ndfl_rub",
        )
    )
    for line in lines:
        writer.writerow(
            (
                line.participant_id,
                line.year,
                " ".join(line.prizes),
                line.value_rub,
                line.cash_part_rub,
                line.taxable_rub,
                line.ndfl_rub,
            )
        )
    records = [
        {
            "winner_id": r.id,
            "round": r.round_id,
            "prize": r.prize_id,
            "kind": r.kind,
            "rank": r.rank,
            "participant_id": r.participant_id,
            "phone_masked": r.phone_masked,
            "value_rub": f"{r.value_kopecks / 100:.2f}",
            "claim_state": r.claim_state,
            "tax_data": open_tax_data(sealer, r.tax_sealed),
        }
        for r in rows
        if r.claim_state != "reserve"
    ]
    return {
        "tax/ndfl.csv": buffer.getvalue().encode("utf-8"),
        "tax/winners.json": (json.dumps(records, ensure_ascii=False, indent=2) + "\n").encode(
            "utf-8"
        ),
    }


def _files_under(root: Path, prefix: str) -> dict[str, Path]:
    if not root.is_dir():
        return {}
    return {
        f"{prefix}/{path.relative_to(root).as_posix()}": path
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.name.startswith(".")
    }


def build_archive(campaign: Campaign, engine: Engine, sealer: Sealer, now: datetime) -> Archive:
    """Write ``archive/<slug>-<time>.tar.gz`` (0600) and its ``.sha256`` next to it."""
    folder = campaign.folder / ARCHIVE_DIR
    folder.mkdir(mode=0o700, exist_ok=True)
    stamp = now.strftime("%Y%m%dT%H%M%S")
    path = folder / f"{campaign.slug}-{stamp}.tar.gz"
    files = {"campaign/campaign.yaml": campaign.source}
    files |= _files_under(campaign.folder / REPORTS_DIR / FINAL_DIR, "reports/final")
    files |= _files_under(campaign.folder / PUBLISHED_DIR, "draws")
    generated = _tax_records(engine, campaign, sealer)
    with tempfile.TemporaryDirectory() as scratch:
        stats = write_report(
            campaign, engine, None, out=Path(scratch) / "statistics", clock=lambda: now
        )
        files |= _files_under(stats.folder, "statistics")
        manifest = {
            "campaign": campaign.slug,
            "archived_at": now.isoformat(),
            "files": {
                **{name: hashlib.sha256(p.read_bytes()).hexdigest() for name, p in files.items()},
                **{name: hashlib.sha256(data).hexdigest() for name, data in generated.items()},
            },
        }
        generated["MANIFEST.json"] = (
            json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
        ).encode()
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            for name, source in sorted(files.items()):
                tar.add(source, arcname=name, recursive=False)
            for name, data in sorted(generated.items()):
                info = tarfile.TarInfo(name)
                info.size = len(data)
                info.mtime = int(now.timestamp())
                info.mode = 0o600
                tar.addfile(info, io.BytesIO(data))
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    checksum = path.with_name(path.name + ".sha256")
    checksum.write_text(f"{digest}  {path.name}\n", encoding="ascii")
    return Archive(path, checksum, digest, tuple(sorted([*files, *generated])))


def check_archive(path: Path) -> bool:
    """True when the archive matches its ``.sha256`` file."""
    expected = path.with_name(path.name + ".sha256").read_text(encoding="ascii").split()[0]
    return hashlib.sha256(path.read_bytes()).hexdigest() == expected
