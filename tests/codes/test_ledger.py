from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from campaignctl.codes import batches
from campaignctl.codes.ledger import CodeLedger
from campaignctl.model.codes import DEFAULT_ALPHABET, CodesSpec
from tests.codes.conftest import make_spec
from tests.store.conftest import mariadb_url, postgres_url


def _first_codes(ledger: CodeLedger, count: int) -> list[str]:
    return [ledger.codec.encode(s) for s in range(count)]


def test_verdicts(ledger: CodeLedger, tmp_path: Path) -> None:
    batches.generate(ledger, "run-1", 100, tmp_path)
    batches.void(ledger, "run-1", serials=(50, 59))
    code = ledger.codec.encode(7)
    ok = ledger.check(code)
    assert (ok.ok, ok.serial, ok.batch, ok.state) == (True, 7, "run-1", "generated")
    assert ledger.check(code[:-1] + ("2" if code[-1] != "2" else "3")).reason == "typo"
    assert ledger.check("ABC").reason == "malformed"
    assert ledger.check(ledger.codec.encode(100)).reason == "not_a_code"  # not issued yet
    assert ledger.check(ledger.codec.encode(55)).reason == "voided"
    assert ledger.redeem(code).ok
    assert ledger.check(code).reason == "redeemed"
    assert ledger.redeem(code).reason == "redeemed"
    assert ledger.redeem(ledger.codec.encode(55)).reason == "voided"
    assert batches.summaries(ledger)[0].redeemed == 1


def test_random_guesses_are_rejected(ledger: CodeLedger, tmp_path: Path) -> None:
    batches.generate(ledger, "run-1", 50_000, tmp_path)
    rng = random.Random(3)
    for _ in range(5_000):
        guess = "".join(rng.choice(DEFAULT_ALPHABET) for _ in range(11))
        assert ledger.validate(guess).reason in ("typo", "not_a_code")


def test_a_server_sees_other_processes_batches_after_the_ttl(
    ledger: CodeLedger, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    batches.generate(ledger, "run-1", 10, tmp_path)
    server = CodeLedger(ledger.folder, ledger.spec, ledger.store)
    assert server.validate(server.codec.encode(12)).reason == "not_a_code"
    batches.generate(ledger, "run-2", 10, tmp_path)
    assert server.validate(server.codec.encode(12)).reason == "not_a_code"  # cached
    monkeypatch.setattr(server, "book_ttl", 0.0)
    assert server.validate(server.codec.encode(12)).batch == "run-2"


def test_void_after_book_loaded_still_blocks_redeem(ledger: CodeLedger, tmp_path: Path) -> None:
    batches.generate(ledger, "run-1", 10, tmp_path)
    other = CodeLedger(ledger.folder, ledger.spec, ledger.store)
    code = other.codec.encode(3)
    assert other.validate(code).ok  # the other process loaded its book
    batches.void(ledger, "run-1", serials=(3, 3))
    assert other.redeem(code).reason == "voided"  # the database decides


def test_codes_appear_only_in_print_files(ledger: CodeLedger, tmp_path: Path) -> None:
    out = tmp_path / "print"
    result = batches.generate(ledger, "run-1", 20_000, out)
    batches.void(ledger, "run-1", serials=(100, 199))
    sample = [ledger.codec.encode(s) for s in random.Random(1).sample(range(20_000), 200)]
    for code in sample[:50]:
        ledger.redeem(code)
    ledger.close()
    state = ledger.folder / ".campaignctl"
    blobs = {p.name: p.read_bytes() for p in state.iterdir() if p.name != "codes.key"}
    assert "state.db" in blobs
    printed = b"".join(p.read_bytes() for p in result.folder.iterdir())
    for code in sample:
        grouped = "-".join(code[i : i + 4] for i in range(0, len(code), 4))
        assert grouped.encode() in printed  # the search itself works
        for name, blob in blobs.items():
            for form in (code, grouped, code.lower()):
                assert form.encode() not in blob, (code, name)
                assert form.encode("utf-16-le") not in blob, (code, name)
    key = bytes.fromhex((state / "codes.key").read_text().split()[-1])
    for blob in blobs.values():
        assert key not in blob and key.hex().encode() not in blob


def _race(ledger_factory: Iterator[CodeLedger], code: str, threads: int = 100) -> list[str]:
    ledgers = [next(ledger_factory) for _ in range(4)]
    barrier = threading.Barrier(threads)
    results: list[str] = []
    lock = threading.Lock()

    def worker(i: int) -> None:
        ledger = ledgers[i % len(ledgers)]
        barrier.wait()
        verdict = ledger.redeem(code, channel="test")
        with lock:
            results.append(verdict.reason or "ok")

    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return results


def _ledgers(folder: Path, spec: CodesSpec, url: str | None) -> Iterator[CodeLedger]:
    while True:
        yield CodeLedger.open(folder, spec, url)


def test_exactly_one_redeem_under_100_threads_sqlite(tmp_path: Path) -> None:
    spec = make_spec()
    setup = CodeLedger.open(tmp_path, spec)
    batches.generate(setup, "run-1", 10, tmp_path / "print")
    code = setup.codec.encode(4)
    results = _race(_ledgers(tmp_path, spec, None), code)
    assert results.count("ok") == 1
    assert results.count("redeemed") == 99
    assert setup.store.redeemed_serials(setup.batch("run-1").id) == [4]


@pytest.mark.mariadb
def test_exactly_one_redeem_under_100_threads_mariadb(tmp_path: Path) -> None:
    with mariadb_url() as url:
        spec = make_spec()
        setup = CodeLedger.open(tmp_path, spec, url)
        batches.generate(setup, "run-1", 10, tmp_path / "print")
        code = setup.codec.encode(4)
        results = _race(_ledgers(tmp_path, spec, url), code)
        assert results.count("ok") == 1
        assert results.count("redeemed") == 99
        setup.close()


@pytest.mark.postgres
def test_exactly_one_redeem_under_100_threads_postgres(tmp_path: Path) -> None:
    with postgres_url() as url:
        spec = make_spec()
        setup = CodeLedger.open(tmp_path, spec, url)
        batches.generate(setup, "run-1", 10, tmp_path / "print")
        code = setup.codec.encode(4)
        results = _race(_ledgers(tmp_path, spec, url), code)
        assert results.count("ok") == 1
        assert results.count("redeemed") == 99
        assert setup.store.redeemed_serials(setup.batch("run-1").id) == [4]
        setup.close()
