"""A code registration's statements on SQLite's driver cursor (see :mod:`.sqlite_path`).

Each is one of the Core statements the other engines run, rendered once.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert

from campaignctl.memo import Recent
from campaignctl.runtime.antifraud import Guard, Subjects, admit_statement, refuse_over
from campaignctl.runtime.participants import BY_HASH
from campaignctl.runtime.sealing import Sealer
from campaignctl.runtime.sqlite_path import REQUIRED, Prepared, db_datetime
from campaignctl.runtime.statements import (
    INSERT_REGISTRATION,
    PRIZES_WON,
    REDEEM,
    REGISTERED_SINCE,
)
from campaignctl.runtime.stock import CLAIM
from campaignctl.store.runtime_tables import participants

_REDEEM = Prepared(REDEEM)
_BY_HASH = Prepared(BY_HASH)
_INSERT_PERSON = Prepared(
    insert(participants).values(
        dict.fromkeys(("phone_hash", "phone_sealed", "details_sealed", "created_at"), REQUIRED)
    )
)
_REGISTERED_SINCE = Prepared(REGISTERED_SINCE)
_PRIZES_WON = Prepared(PRIZES_WON)
_CLAIM = Prepared(CLAIM)
_INSERT_REGISTRATION = Prepared(INSERT_REGISTRATION)
_ADMIT: dict[int, tuple[Prepared, list[tuple[str, str, str]]]] = {}


def admit(cur: sqlite3.Cursor, guard: Guard, subjects: Subjects, now: datetime) -> None:
    """:meth:`Guard.admit`: count every subject's attempt in one upsert, then refuse if over."""
    windows = guard.windows(subjects, now)
    if not windows:
        return
    found = _ADMIT.get(len(windows))
    if found is None:
        names = [(f"s{i}", f"k{i}", f"e{i}") for i in range(len(windows))]
        found = _ADMIT[len(windows)] = (Prepared(admit_statement(len(windows))), names)
    prepared, names = found
    params: dict[str, Any] = {"now": now.astimezone(UTC)}
    for (s, k, e), (subject, key, end, _limit) in zip(names, windows, strict=True):
        params[s] = subject
        params[k] = key
        params[e] = _utc(end)
    counts: dict[tuple[str, str], int] = {}
    locked: datetime | None = None
    for subject, key, count, until in prepared.run(cur, params).fetchall():
        counts[(subject, key)] = int(count)
        locked = db_datetime(until)
    refuse_over(windows, counts, locked, now)


# A window's end is one object for the whole window (the guard caches it), so its
# UTC twin is kept too: one object, formatted once per statement.
_UTC_ENDS: Recent[datetime, datetime] = Recent()


def _utc(end: datetime) -> datetime:
    return _UTC_ENDS.get(end, _to_utc)


def _to_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def redeem(cur: sqlite3.Cursor, serial: int, batch_id: int, at: datetime, channel: str) -> bool:
    """Insert the redemption; False if the batch or the serial is voided.

    Raises :class:`sqlite3.IntegrityError` if the serial was redeemed before.
    """
    params = {"serial": serial, "batch_id": batch_id, "at": at, "channel": channel}
    return _REDEEM.run(cur, params).rowcount == 1


def person(cur: sqlite3.Cursor, digest: bytes) -> int | None:
    found = _BY_HASH.run(cur, {"digest": digest}).fetchone()
    return None if found is None else int(found[0])


def create_person(
    cur: sqlite3.Cursor,
    sealer: Sealer,
    digest: bytes,
    phone: str,
    details: Mapping[str, str] | None,
    at: datetime,
) -> int:
    """A new participant (the caller read that none has ``digest``, in this write transaction)."""
    row = {
        "phone_hash": digest,
        "phone_sealed": sealer.seal(phone),
        "details_sealed": sealer.seal(json.dumps(details, ensure_ascii=False)) if details else None,
        "created_at": at,
    }
    made = _INSERT_PERSON.run(cur, row).lastrowid
    assert made is not None  # noqa: S101 - an INSERT into a rowid table
    return made


def registered_since(cur: sqlite3.Cursor, person: int, since: datetime) -> int:
    row = _REGISTERED_SINCE.run(cur, {"person": person, "since": since}).fetchone()
    return int(row[0])


def prizes_won(cur: sqlite3.Cursor, person: int, prize_id: str) -> int:
    return int(_PRIZES_WON.run(cur, {"person": person, "prize": prize_id}).fetchone()[0])


def claim(cur: sqlite3.Cursor, prize_id: str) -> bool:
    """:func:`campaignctl.runtime.stock.claim`: one unit, never below zero."""
    return _CLAIM.run(cur, {"prize": prize_id}).rowcount == 1


def insert_registration(cur: sqlite3.Cursor, row: Mapping[str, Any]) -> None:
    _INSERT_REGISTRATION.run(cur, row)
