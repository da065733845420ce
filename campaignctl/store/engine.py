"""One engine per database URL, configured for concurrent writers; migrations to head."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url

_MIGRATIONS = Path(__file__).parent / "migrations"


def open_engine(url: str, *, checkpoints: bool = True) -> Engine:
    """An engine for ``url``; a SQLite file is created 0600 and put in WAL mode.

    ``checkpoints=False``: this engine's commits never checkpoint the WAL (SQLite
    otherwise does it in the commit that passes 1,000 WAL pages, fsync included);
    a :class:`campaignctl.runtime.checkpoints.Checkpointer` must then run beside it.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    database = parsed.database
    if database and database != ":memory:":
        path = Path(database)
        path.parent.mkdir(parents=True, exist_ok=True)
        # SQLite gives its -wal and -shm files the mode of the database file.
        os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    engine = create_engine(url, connect_args={"timeout": 30}, pool_size=8, max_overflow=32)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control from the sqlite3 module so BEGIN IMMEDIATE below
        # is the only BEGIN: a deferred transaction that reads and then writes can
        # fail with SQLITE_BUSY instead of waiting when another writer got in first.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA temp_store=MEMORY")
        if not checkpoints:
            cursor.execute("PRAGMA wal_autocheckpoint=0")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


@cache
def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    return config


@cache
def head_revision() -> str:
    """The newest migration's revision id."""
    head = ScriptDirectory.from_config(_config()).get_current_head()
    if head is None:
        raise RuntimeError(f"no migration in {_MIGRATIONS}: a broken installation")
    return head


def _revisions(connection: Connection) -> set[str]:
    if not inspect(connection).has_table("alembic_version"):
        return set()
    rows = connection.execute(text("SELECT version_num FROM alembic_version")).scalars()
    return {str(v) for v in rows}


def schema_is_current(engine: Engine) -> bool:
    """Whether the database is at :func:`head_revision` (one query)."""
    with engine.connect() as connection:
        return _revisions(connection) == {head_revision()}


_LOCK = "campaignctl_migrations"
_PG_LOCK = 0x63616D70  # pg_advisory_xact_lock takes a number: "camp"


def upgrade(engine: Engine) -> None:
    """Bring the database schema to the newest migration.

    A database already at the head costs one query: every Cloud Function instance
    calls this at its cold start, and only the first after a deploy that added a
    migration does the work. Instances starting together take turns (a named lock
    on MySQL, an advisory lock on PostgreSQL; SQLite writers take turns anyway) and
    look again once they hold it.
    """
    if schema_is_current(engine):
        return
    if engine.dialect.name != "mysql":
        with engine.begin() as connection:
            if engine.dialect.name == "postgresql":  # held until this transaction ends
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK})
            _migrate(connection)
        return
    # MySQL's named lock belongs to the session, not the transaction: take it before the
    # migration's transaction and give it back only after that committed, or the next
    # instance would read the old revision and run the migration again.
    with engine.connect() as connection:
        taken = connection.execute(text("SELECT GET_LOCK(:name, 300)"), {"name": _LOCK})
        if taken.scalar() != 1:
            raise RuntimeError(f"the migrations lock {_LOCK!r} was not free within 300 s")
        connection.commit()
        try:
            with connection.begin():
                _migrate(connection)
        finally:
            connection.execute(text("SELECT RELEASE_LOCK(:name)"), {"name": _LOCK})
            connection.commit()


def _migrate(connection: Connection) -> None:
    """Upgrade to the head unless another instance did meanwhile."""
    if _revisions(connection) == {head_revision()}:
        return
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    config.attributes["connection"] = connection
    command.upgrade(config, "head")
