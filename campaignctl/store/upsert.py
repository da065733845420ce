"""``INSERT ... ON CONFLICT`` with ``RETURNING``, where the engine has both.

SQLite (3.35+) and PostgreSQL answer an upsert and hand back the row it left in
one round trip; MariaDB's ``ON DUPLICATE KEY UPDATE`` cannot return the updated
row, so callers keep a portable path for it.
"""

from __future__ import annotations

from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql, sqlite

RETURNING_UPSERT = frozenset({"sqlite", "postgresql"})


def has_returning_upsert(conn: Connection) -> bool:
    return conn.dialect.name in RETURNING_UPSERT


def upsert(conn: Connection, table: Table) -> sqlite.Insert | postgresql.Insert:
    """An insert on ``table`` that takes ``on_conflict_do_update``/``_nothing`` and ``returning``."""
    if conn.dialect.name == "postgresql":
        return postgresql.insert(table)
    if conn.dialect.name == "sqlite":
        return sqlite.insert(table)
    raise ValueError(f"{conn.dialect.name} has no upsert with RETURNING")  # pragma: no cover
