"""Prepared statements and driver savepoints on SQLite."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import DateTime, bindparam, insert, select
from sqlalchemy.dialects import sqlite

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


def test_parameters_are_the_same_whether_all_or_some_are_given() -> None:
    names = ("name", "scheme", "first_serial", "count", "state", "created_at", "updated_at")
    add = Prepared(insert(code_batches).values(dict.fromkeys(names, REQUIRED)))
    row = {"name": "b", "scheme": "keyed", "first_serial": 0, "count": 5, "state": "generated"}
    full = row | {"created_at": AT, "updated_at": None, "unused": 1}
    # Every name given: picked at once; the slow path (defaults, checks) agrees.
    assert add.args(full) == add._args_with_defaults(full)
    assert add.args(full)[5] == "2027-06-10 09:15:30.123456"
    one = Prepared(select(code_batches.c.id).where(code_batches.c.name == bindparam("name")))
    assert one.args({"name": "b"}) == ("b",)
    assert one.args({}) == (None,)  # a plain bind parameter left out is NULL, as before
    none = Prepared(select(code_batches.c.id))
    assert none.args({"name": "b"}) == ()
    claim = Prepared(CLAIM)  # its literals fill in what the caller does not give
    assert claim.args({"prize": "cap"}) == claim._args_with_defaults({"prize": "cap"})


def _datetimes() -> list[object]:
    rng = random.Random(7)
    zones = [UTC, ZoneInfo("Europe/Moscow"), ZoneInfo("America/New_York"), None]
    out: list[object] = [datetime(1, 1, 1), datetime(9999, 12, 31, 23, 59, 59, 999999)]
    for _ in range(2000):
        seconds = rng.randrange(int(datetime(2100, 1, 1, tzinfo=UTC).timestamp()))
        moment = datetime.fromtimestamp(seconds, UTC) + timedelta(
            microseconds=rng.choice([0, 1, rng.randrange(10**6)])
        )
        zone = rng.choice(zones)
        out.append(moment.replace(tzinfo=None) if zone is None else moment.astimezone(zone))
    return out


def test_bound_datetimes_are_the_text_sqlalchemy_writes() -> None:
    # The fast processor and SQLAlchemy's, on the same values: any datetime
    # (aware in any zone or naive, with and without microseconds), a date, None.
    dialect = sqlite.dialect(paramstyle="qmark")
    theirs = DateTime(timezone=True).dialect_impl(dialect).bind_processor(dialect)
    assert theirs is not None
    ours = Prepared(select(code_batches.c.id).where(code_batches.c.created_at == bindparam("at")))
    for value in [*_datetimes(), date(2027, 6, 10), None]:
        # Twice: the second answer comes from the texts kept by object.
        assert ours.args({"at": value}) == ours.args({"at": value}) == (theirs(value),)


def test_kept_texts_follow_the_object_not_equality() -> None:
    # 12:00 UTC and 15:00 Moscow are equal datetimes with different wall-clock
    # fields, so different texts: a cache keyed by equality would mix them up.
    ours = Prepared(select(code_batches.c.id).where(code_batches.c.created_at == bindparam("at")))
    utc = datetime(2027, 6, 10, 12, 0, tzinfo=UTC)
    moscow = utc.astimezone(ZoneInfo("Europe/Moscow"))
    assert utc == moscow
    assert ours.args({"at": utc}) == ("2027-06-10 12:00:00.000000",)
    assert ours.args({"at": moscow}) == ("2027-06-10 15:00:00.000000",)
