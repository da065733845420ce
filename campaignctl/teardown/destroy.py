"""Destroy the personal data a finished campaign no longer needs (152-FZ art. 21 p. 4, 7).

Once the archive holds what must be kept, nothing in the state needs to stay:
the state database (participants' sealed phones and names, registrations,
receipts, one-time login codes, messages, the outbox) is emptied table by
table (any engine) and, for the local SQLite file, deleted; receipt photos,
CRM export files, the codes key (without it no sealed datum can be opened
again and no code checked) and the server's files are deleted; so are the
print files, which hold every one-time code in plain text.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, MetaData, delete, func, select
from sqlalchemy.engine import make_url

from campaignctl.model import Campaign
from campaignctl.state import STATE_DIR_NAME

COUNTED = {
    "participants": "participants (phones, names, cities)",
    "registrations": "registrations",
    "receipts": "receipts",
    "winners": "winners (incl. sealed tax data)",
    "login_codes": "one-time login codes",
    "sms_messages": "SMS messages",
    "outbox": "outbox messages",
}


@dataclass(frozen=True)
class Destroyed:
    items: tuple[str, ...]


def _empty_database(engine: Engine) -> list[str]:
    meta = MetaData()
    meta.reflect(engine)
    done: list[str] = []
    with engine.begin() as conn:
        for table in reversed(meta.sorted_tables):
            if table.name == "alembic_version":
                continue
            count = int(conn.execute(select(func.count()).select_from(table)).scalar_one())
            conn.execute(delete(table))
            if table.name in COUNTED and count:
                done.append(f"{count} {COUNTED[table.name]}")
    return done


def _remove(path: Path, label: str, items: list[str]) -> None:
    if path.is_dir():
        count = sum(1 for p in path.rglob("*") if p.is_file())
        shutil.rmtree(path)
        items.append(f"{label} ({count} files): {path}")
    elif path.exists():
        path.unlink()
        items.append(f"{label}: {path}")


STACK_HANDLES = frozenset({"codes.key", "pulumi", "pulumi-workspace"})
"""State files a cloud stack that still exists needs: its state and settings (the only
handle on it) and the key ring that opens what its database sealed."""


def destroy_personal_data(
    campaign: Campaign, engine: Engine, *, stack_destroyed: bool = False, stack_left: bool = False
) -> Destroyed:
    """Empty the state database and delete the state files. ``stack_left``: a cloud stack
    still exists, so :data:`STACK_HANDLES` are kept for the ``down`` that removes it."""
    items = _empty_database(engine)
    url = make_url(str(engine.url))
    engine.dispose()
    state = campaign.folder / STATE_DIR_NAME
    if url.get_backend_name() == "sqlite" and url.database:
        db = Path(url.database)
        for suffix in ("", "-wal", "-shm"):
            _remove(db.with_name(db.name + suffix), "state database", items)
    _remove(state / "uploads", "receipt photos", items)
    _remove(state / "exports", "CRM export files", items)
    if not stack_left:
        _remove(state / "codes.key", "codes and personal-data key", items)
    for name in ("server.log", "server.json", "admin.token"):
        _remove(state / name, "server file", items)
    if stack_destroyed:
        _remove(state / "pulumi", "Pulumi state of the destroyed stack", items)
        _remove(state / "pulumi-workspace", "Pulumi settings of the destroyed stack", items)
    _remove(campaign.folder / "print", "code print files (one-time codes)", items)
    kept = {".gitignore", "pulumi", *(STACK_HANDLES if stack_left else ())}
    if state.is_dir():
        for leftover in sorted(state.iterdir()):
            if leftover.name not in kept:
                _remove(leftover, "state file", items)
    return Destroyed(tuple(items))
