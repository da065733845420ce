"""Prepared statements and driver savepoints on SQLite."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import insert, select

from campaignctl.runtime.sqlite_path import REQUIRED, Prepared, Savepoint, driver_cursor
from campaignctl.runtime.stock import CLAIM
from campaignctl.store import open_engine, upgrade
from campaignctl.store.runtime_tables import prize_stock
from campaignctl.store.tables import code_batches

AT = datetime(2027, 6, 10, 9, 15, 30, 123456, tzinfo=UTC)


def test_prepared_statements_write_what_core_reads(tmp_path: Path) -> None:
    engine = open_engine(f"sqlite:///{tmp_path / 'state.db'}")
    upgrade(engine)
    names = ("name", "scheme", "first_serial", "count", "state", "created_at", "updated_at")
    add = Prepared(insert(code_batches).values(dict.fromkeys(names, REQUIRED)))
    row = {"name": "b", "scheme": "keyed", "first_serial": 0, "count": 5, "state": "generated"}
    with engine.begin() as conn:
        add.run(driver_cursor(conn), row | {"created_at": AT, "updated_at": AT})
        with pytest.raises(KeyError, match="updated_at"):
            add.run(driver_cursor(conn), row | {"created_at": AT})
    with engine.connect() as conn:
        stored = conn.execute(select(code_batches)).one()
    assert stored.created_at == AT.replace(tzinfo=None)
    assert stored.key_version == 1  # a server default still applies
    engine.dispose()


def test_a_literal_in_the_statement_keeps_its_value_and_savepoints_roll_back(
    tmp_path: Path,
) -> None:
    engine = open_engine(f"sqlite:///{tmp_path / 'state.db'}")
    upgrade(engine)
    claim = Prepared(CLAIM)  # remaining - 1 WHERE remaining > 0
    with engine.begin() as conn:
        conn.execute(insert(prize_stock).values(prize_id="cap", total=2, remaining=2))
        cur = driver_cursor(conn)
        with pytest.raises(RuntimeError), Savepoint(cur, "sp"):
            claim.run(cur, {"prize": "cap"})
            raise RuntimeError
        taken = [claim.run(cur, {"prize": "cap"}).rowcount for _ in range(3)]
    assert taken == [1, 1, 0]
    with engine.connect() as conn:
        assert conn.execute(select(prize_stock.c.remaining)).scalar_one() == 0
    engine.dispose()
