from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event, inspect, text

from campaignctl.store import CodeStore, open_engine, upgrade
from campaignctl.store.engine import head_revision, schema_is_current
from campaignctl.store.tables import metadata
from tests.store.conftest import mariadb_url, postgres_url

# The codes tables; later migrations (runtime, outbox, draws) add theirs.
TABLES = {"alembic_version", "code_batches", "code_voids", "code_redemptions", "imported_codes"}


def test_sqlite_file_is_private_and_in_wal_mode(tmp_path: Path) -> None:
    db = tmp_path / "deep" / "state.db"
    engine = open_engine(f"sqlite:///{db}")
    upgrade(engine)
    assert db.stat().st_mode & 0o777 == 0o600
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    assert set(inspect(engine).get_table_names()) >= TABLES
    upgrade(engine)  # idempotent
    engine.dispose()


def test_table_definitions_match_the_migration(tmp_path: Path) -> None:
    engine = open_engine(f"sqlite:///{tmp_path / 'x.db'}")
    upgrade(engine)
    inspector = inspect(engine)
    for table in metadata.sorted_tables:
        migrated = {c["name"] for c in inspector.get_columns(table.name)}
        assert migrated == {c.name for c in table.columns}, table.name
    engine.dispose()


def _exercise(store: CodeStore) -> None:
    first = store.allocate("a", 100, "keyed")
    assert first is not None
    assert store.allocate("a", 5, "keyed") is None
    second = store.allocate("b", 50, "keyed")
    assert second is not None and second.first_serial == 100
    store.set_state(first.id, "generated")
    store.add_voids(first.id, [(10, 19), (30, 30)], "test")
    assert [(v.first_serial, v.last_serial) for v in store.voids()] == [(10, 19), (30, 30)]
    assert not store.redeem(15, first.id)  # voided
    assert store.redeem(20, first.id)
    assert not store.redeem(20, first.id)
    assert not store.redeem(120, second.id)  # still generating
    store.add_digests(first.id, [[(b"x" * 32, 40)]])
    assert store.serial_of_digest(b"x" * 32) == 40
    store.discard(second.id)
    assert [b.name for b in store.batches()] == ["a"]


def test_store_on_sqlite(tmp_path: Path) -> None:
    engine = open_engine(f"sqlite:///{tmp_path / 'x.db'}")
    upgrade(engine)
    _exercise(CodeStore(engine))
    engine.dispose()


@pytest.mark.mariadb
def test_store_on_mariadb() -> None:
    with mariadb_url() as url:
        engine = open_engine(url)
        upgrade(engine)
        assert set(inspect(engine).get_table_names()) >= TABLES
        _exercise(CodeStore(engine))
        engine.dispose()


@pytest.mark.postgres
def test_store_on_postgres() -> None:
    with postgres_url() as url:
        engine = open_engine(url)
        upgrade(engine)
        assert set(inspect(engine).get_table_names()) >= TABLES
        _exercise(CodeStore(engine))
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM code_batches")).scalar() == 1
        engine.dispose()


def _allocate_concurrently(url: str) -> None:
    engine = open_engine(url)
    upgrade(engine)
    store = CodeStore(engine)
    barrier = threading.Barrier(8)

    def worker(i: int) -> None:
        barrier.wait()
        assert store.allocate(f"b{i}", 1000, "keyed") is not None

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    starts = sorted(b.first_serial for b in store.batches())
    assert starts == [i * 1000 for i in range(8)]
    engine.dispose()


def test_concurrent_allocations_never_overlap_sqlite(tmp_path: Path) -> None:
    _allocate_concurrently(f"sqlite:///{tmp_path / 'x.db'}")


@pytest.mark.postgres
def test_concurrent_allocations_never_overlap_postgres() -> None:
    with postgres_url() as url:
        _allocate_concurrently(url)


def _statements(engine: Engine) -> list[str]:
    seen: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: seen.append(a[2]))
    return seen


def test_an_upgraded_database_costs_a_cold_start_one_look(tmp_path: Path) -> None:
    engine = open_engine(f"sqlite:///{tmp_path / 'state.db'}")
    upgrade(engine)
    assert schema_is_current(engine)
    seen = _statements(engine)
    upgrade(engine)  # what every later cold start does
    assert [s for s in seen if "alembic_version" in s and s.lstrip().upper().startswith("SELECT")]
    assert not [s for s in seen if s.lstrip().upper().startswith(("CREATE", "ALTER", "INSERT"))]
    assert len(seen) <= 3, seen
    engine.dispose()


@pytest.mark.parametrize("url", [mariadb_url, postgres_url], ids=["mariadb", "postgres"])
def test_cold_starts_at_once_migrate_once(url: Any) -> None:
    with url() as database:
        engines = [open_engine(database) for _ in range(4)]
        errors: list[BaseException] = []

        def start(engine: Engine) -> None:
            try:
                upgrade(engine)
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=start, args=(e,)) for e in engines]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        assert errors == []
        assert all(schema_is_current(e) for e in engines)
        with engines[0].connect() as conn:
            versions = conn.execute(text("SELECT version_num FROM alembic_version")).scalars()
            assert list(versions) == [head_revision()]
        for engine in engines:
            engine.dispose()
