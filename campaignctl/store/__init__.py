"""The state database: SQLAlchemy Core tables, Alembic migrations, one engine per URL.

The same schema runs on SQLite (local target), PostgreSQL and MySQL/MariaDB. Code
strings never enter it: only batches, serial ranges and keyed hashes.
"""

from __future__ import annotations

from campaignctl.store.codes import BatchRow, CodeStore, VoidRow
from campaignctl.store.engine import open_engine, upgrade

__all__ = ["BatchRow", "CodeStore", "VoidRow", "open_engine", "upgrade"]
