"""A throwaway PostgreSQL schema per test, or a skip when the server is not reachable."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


MARIADB = "mysql+pymysql://root@127.0.0.1:3306"


@contextmanager
def mariadb_url() -> Iterator[str]:
    """A URL of a fresh database on the local MariaDB, dropped afterwards."""
    admin = create_engine(MARIADB, connect_args={"connect_timeout": 3})
    name = f"t_{secrets.token_hex(6)}"
    try:
        with admin.begin() as conn:
            conn.execute(text(f"CREATE DATABASE {name}"))
    except OperationalError as exc:
        admin.dispose()
        pytest.skip(f"MariaDB at 127.0.0.1:3306 is not reachable: {exc.orig}")
    try:
        yield f"{MARIADB}/{name}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP DATABASE {name}"))
        admin.dispose()


@contextmanager
def postgres_url() -> Iterator[str]:
    """A URL whose search_path is a fresh schema, dropped afterwards."""
    admin = create_engine(POSTGRES, connect_args={"connect_timeout": 3})
    schema = f"t_{secrets.token_hex(6)}"
    try:
        with admin.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
    except OperationalError as exc:
        admin.dispose()
        pytest.skip(f"PostgreSQL at 127.0.0.1:5432 is not reachable: {exc.orig}")
    try:
        yield f"{POSTGRES}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()
