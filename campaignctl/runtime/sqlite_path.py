"""The code registration's statements on SQLite, run on the driver's cursor.

On SQLite a registration is a unit of the group commit's writer thread
(:mod:`campaignctl.runtime.commits`), and what limited throughput was not
SQLite but SQLAlchemy's Python work around each statement (execution context,
parameter processing, result wrapping): about 0.15 ms per statement, eight
statements a registration, all under the GIL the event loop needs too.

So the hot path's statements are compiled once from the same SQLAlchemy Core
constructs the other engines run (:data:`~campaignctl.runtime.service._REDEEM`,
:data:`~campaignctl.runtime.antifraud._admit`, the tables' inserts), to SQLite's
positional SQL with their parameters' bind processors (datetimes as SQLite
text, exactly as SQLAlchemy stores them), and executed on the DBAPI connection
inside the transaction SQLAlchemy began. Same tables, same constraints doing the
exactly-once work; PostgreSQL and MariaDB keep running the Core statements.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import ClauseElement, Connection, DateTime
from sqlalchemy.dialects import sqlite
from sqlalchemy.sql.compiler import SQLCompiler

_DIALECT = sqlite.dialect(paramstyle="qmark")
_from_db = cast(
    Callable[[object], datetime | None],
    DateTime(timezone=True).dialect_impl(_DIALECT).result_processor(_DIALECT, None),
)


class _Required:
    """The value of an ``insert().values(...)`` placeholder that each call must fill in."""

    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED: Any = _Required()
"""``insert(table).values(dict.fromkeys(names, REQUIRED))``: exactly these columns, all given."""


class Prepared:
    """A Core statement rendered once for SQLite: its SQL and how to order its parameters."""

    def __init__(self, statement: ClauseElement) -> None:
        compiled = cast(SQLCompiler, statement.compile(dialect=_DIALECT))
        self.sql = compiled.string
        names = list(compiled.positiontup or ())
        if "POSTCOMPILE" in self.sql:  # an expanding IN: its length is only known per call
            raise ValueError(f"cannot prepare a statement with an expanding parameter: {self.sql}")
        # (name, bind processor, the statement's own value for a literal such as ``- 1``)
        self._order: list[tuple[str, Callable[[Any], Any] | None, Any]] = []
        for name in names:
            bind = compiled.binds[name]
            process = bind.type.dialect_impl(_DIALECT).bind_processor(_DIALECT)
            self._order.append((name, process, bind.value))

    def args(self, params: Mapping[str, Any]) -> tuple[Any, ...]:
        out = []
        for name, process, default in self._order:
            value = params.get(name, default)
            if value is REQUIRED:
                raise KeyError(f"{name} is required by {self.sql}")
            out.append(process(value) if process is not None and value is not None else value)
        return tuple(out)

    def run(self, cur: sqlite3.Cursor, params: Mapping[str, Any]) -> sqlite3.Cursor:
        return cur.execute(self.sql, self.args(params))


def driver_cursor(conn: Connection) -> sqlite3.Cursor:
    """A cursor on the DBAPI connection under ``conn``: it runs in ``conn``'s transaction."""
    driver = conn.connection.driver_connection
    return cast(sqlite3.Connection, driver).cursor()


def db_datetime(value: object) -> datetime | None:
    """A datetime read back from SQLite text, as SQLAlchemy reads it (naive UTC)."""
    return _from_db(value)


class Savepoint:
    """A driver-level savepoint: three statements, none of SQLAlchemy's bookkeeping."""

    def __init__(self, cur: sqlite3.Cursor, name: str) -> None:
        self.cur = cur
        self.name = name

    def __enter__(self) -> Savepoint:
        self.cur.execute(f"SAVEPOINT {self.name}")
        return self

    def __exit__(self, kind: object, exc: object, tb: object) -> None:
        if kind is not None:
            self.cur.execute(f"ROLLBACK TO {self.name}")
        self.cur.execute(f"RELEASE {self.name}")


def is_sqlite(conn: Connection) -> bool:
    return conn.dialect.name == "sqlite" and conn.dialect.driver == "pysqlite"


def rows(cur: sqlite3.Cursor) -> Sequence[tuple[Any, ...]]:
    return cast(Sequence[tuple[Any, ...]], cur.fetchall())
