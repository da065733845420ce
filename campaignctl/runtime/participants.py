"""Participants: one row per phone, found by keyed hash, the number itself sealed."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import Connection, Executable, bindparam, insert, select
from sqlalchemy.exc import IntegrityError

from campaignctl.runtime.sealing import Sealer
from campaignctl.store.runtime_tables import participants
from campaignctl.store.upsert import has_returning_upsert, upsert

# Built once: a reused statement keeps its cache key (no rebuild, no recompile).
BY_HASH = select(participants.c.id).where(participants.c.phone_hash == bindparam("digest"))
_INSERT = insert(participants)


def participant_id(
    conn: Connection,
    sealer: Sealer,
    phone: str,
    now: datetime,
    details: dict[str, str] | None = None,
) -> int:
    """The participant with ``phone`` (E.164), created on first sight, inside the caller's transaction."""
    return find_or_create(conn, sealer, phone, now, details)[0]


def find_or_create(
    conn: Connection,
    sealer: Sealer,
    phone: str,
    now: datetime,
    details: dict[str, str] | None = None,
    *,
    digest: bytes | None = None,
) -> tuple[int, bool]:
    """``(id, created)``: ``created`` is True when this call made the row."""
    digest = digest if digest is not None else sealer.digest(phone)
    found = conn.execute(BY_HASH, {"digest": digest}).scalar()
    if found is not None:
        return int(found), False
    row = {
        "phone_hash": digest,
        "phone_sealed": sealer.seal(phone),
        "details_sealed": sealer.seal(json.dumps(details, ensure_ascii=False)) if details else None,
        "created_at": now.astimezone(UTC),
    }
    if has_returning_upsert(conn):
        # A concurrent registration of the same phone may insert first: then
        # nothing is returned and the row is read back below.
        made = conn.execute(_insert_returning(conn), row).scalar()
        if made is not None:
            return int(made), True
    else:
        try:
            with conn.begin_nested():
                conn.execute(_INSERT, row)
        except IntegrityError:  # the same phone registered concurrently
            pass
        else:
            return int(conn.execute(BY_HASH, {"digest": digest}).scalar_one()), True
    return int(conn.execute(BY_HASH, {"digest": digest}).scalar_one()), False


_INSERT_RETURNING: dict[str, Executable] = {}


def _insert_returning(conn: Connection) -> Executable:
    found = _INSERT_RETURNING.get(conn.dialect.name)
    if found is None:
        found = _INSERT_RETURNING[conn.dialect.name] = (
            upsert(conn, participants)
            .on_conflict_do_nothing(index_elements=[participants.c.phone_hash])
            .returning(participants.c.id)
        )
    return found
