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
from datetime import UTC, datetime, timedelta, timezone
from operator import itemgetter
from typing import Any, cast

from sqlalchemy import ClauseElement, Connection, DateTime
from sqlalchemy.dialects import sqlite
from sqlalchemy.sql.compiler import SQLCompiler

from campaignctl.memo import Recent

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
        # Per position: the name and the statement's own value (a literal such as
        # ``- 1``, REQUIRED, or None); then which positions have a bind processor.
        self._order: list[tuple[str, Any]] = []
        self._pick = _picker(names)  # when every name is given
        self._required: list[int] = []
        self._processors: list[tuple[int, Callable[[Any], Any]]] = []
        for i, name in enumerate(names):
            bind = compiled.binds[name]
            self._order.append((name, bind.value))
            if bind.value is REQUIRED:
                self._required.append(i)
            process = bind.type.dialect_impl(_DIALECT).bind_processor(_DIALECT)
            if process is not None:
                self._processors.append((i, _faster(process)))

    def args(self, params: Mapping[str, Any]) -> tuple[Any, ...]:
        # Usually every parameter is given: one C call picks them all, and only
        # the few with a bind processor are touched again.
        try:
            given = self._pick(params)
        except KeyError:
            return self._args_with_defaults(params)
        return self._processed(given)

    def _args_with_defaults(self, params: Mapping[str, Any]) -> tuple[Any, ...]:
        get = params.get
        values = tuple(get(name, default) for name, default in self._order)
        for i in self._required:
            if values[i] is REQUIRED:
                raise KeyError(f"{self._order[i][0]} is required by {self.sql}")
        return self._processed(values)

    def _processed(self, values: tuple[Any, ...]) -> tuple[Any, ...]:
        """``values`` with the bind processors applied (None stays None)."""
        if not self._processors:
            return values
        out = list(values)
        for i, process in self._processors:
            value = out[i]
            if value is not None:
                out[i] = process(value)
        return tuple(out)

    def run(self, cur: sqlite3.Cursor, params: Mapping[str, Any]) -> sqlite3.Cursor:
        return cur.execute(self.sql, self.args(params))


def _picker(names: Sequence[str]) -> Callable[[Mapping[str, Any]], tuple[Any, ...]]:
    """A function giving the values of ``names`` as a tuple (KeyError if one is missing)."""
    if len(names) > 1:
        return cast(Callable[[Mapping[str, Any]], tuple[Any, ...]], itemgetter(*names))
    if names:
        only = itemgetter(names[0])
        return lambda params: (only(params),)
    return lambda _params: ()


_SAMPLES = (
    datetime(2027, 6, 10, 9, 15, 30, 123456, tzinfo=UTC),
    datetime(2027, 6, 10, 9, 15, 30),
    datetime(1, 1, 1),
    datetime(999, 12, 31, 23, 59, 59, 999999),
    datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=timezone(timedelta(hours=3))),
)


def _faster(process: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``process``, with a faster path for a plain ``datetime`` when it gives the same text.

    SQLAlchemy writes a SQLite DATETIME by %-formatting a dict of its fields
    (``2027-06-10 09:15:30.123456``, the time zone dropped); a tuple does the same
    faster. And a registration binds the same datetime objects several times (its
    time in the redemption, participant and registration rows, a window's end for
    an hour of anti-fraud counts), so recent texts are kept by object. Other values
    (dates, subclasses) and other storage formats keep SQLAlchemy's own processor:
    the fast path is taken only if it agrees on every sample.
    """
    if not all(_text(value) == process(value) for value in _SAMPLES):
        return process

    remembered = _TEXTS.get

    def fast(value: Any) -> Any:
        if type(value) is not datetime:
            return process(value)
        return remembered(value, _text)

    return fast


_TEXTS: Recent[datetime, str] = Recent()


def _text(value: datetime) -> str:
    return "%04d-%02d-%02d %02d:%02d:%02d.%06d" % (  # noqa: UP031 - the dialect's format
        value.year,
        value.month,
        value.day,
        value.hour,
        value.minute,
        value.second,
        value.microsecond,
    )


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
