"""Participants: one row per phone, found by keyed hash, the number itself sealed."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import Connection, insert, select
from sqlalchemy.exc import IntegrityError

from campaignctl.runtime.sealing import Sealer
from campaignctl.store.runtime_tables import participants


def participant_id(
    conn: Connection,
    sealer: Sealer,
    phone: str,
    now: datetime,
    details: dict[str, str] | None = None,
) -> int:
    """The participant with ``phone`` (E.164), created on first sight, inside the caller's transaction."""
    digest = sealer.digest(phone)
    query = select(participants.c.id).where(participants.c.phone_hash == digest)
    found = conn.execute(query).scalar()
    if found is not None:
        return int(found)
    sealed_details = sealer.seal(json.dumps(details, ensure_ascii=False)) if details else None
    try:
        with conn.begin_nested():
            conn.execute(
                insert(participants).values(
                    phone_hash=digest,
                    phone_sealed=sealer.seal(phone),
                    details_sealed=sealed_details,
                    created_at=now.astimezone(UTC),
                )
            )
    except IntegrityError:  # the same phone registered concurrently
        pass
    return int(conn.execute(query).scalar_one())
