from __future__ import annotations

from pathlib import Path

import pytest

from campaignctl.codes import batches
from campaignctl.codes.errors import FileInvalid, SchemeMismatch
from campaignctl.codes.imported import read_code_file
from campaignctl.codes.ledger import CodeLedger
from tests.codes.conftest import make_spec


@pytest.fixture
def imported(tmp_path: Path) -> CodeLedger:
    return CodeLedger.open(tmp_path, make_spec(scheme="imported", count=1_000_000))


def test_import_stores_hashes_and_validates(imported: CodeLedger, tmp_path: Path) -> None:
    source = tmp_path / "client.csv"
    lines = ["code,prize"] + [f"CL{i:08d}X,tier{i % 3}" for i in range(5_000)]
    source.write_text("\n".join(lines) + "\n")
    batch = batches.import_codes(imported, "client-1", source)
    assert (batch.count, batch.state, batch.first_serial) == (5_000, "generated", 0)
    verdict = imported.validate(" cl00000042x ")
    assert (verdict.ok, verdict.serial, verdict.batch) == (True, 42, "client-1")
    assert imported.validate("CL99999999X").reason == "not_a_code"
    assert imported.redeem("CL00000042X").ok
    assert imported.redeem("CL00000042X").reason == "redeemed"
    imported.close()
    db = (imported.folder / ".campaignctl" / "state.db").read_bytes()
    for i in (0, 42, 4_999):
        assert f"CL{i:08d}X".encode() not in db


def test_duplicates_and_malformed_lines_are_reported_with_line_numbers(
    imported: CodeLedger, tmp_path: Path
) -> None:
    source = tmp_path / "client.txt"
    source.write_text("AAAA1111\nBBBB2222\n\n# comment\nAAAA1111\nb!d\nbbbb-2222\nCCCC3333\nab\n")
    with pytest.raises(FileInvalid) as info:
        batches.import_codes(imported, "client-1", source)
    assert info.value.problems == [
        (5, "duplicate of line 1"),
        (6, "malformed code 'b!d'"),
        (7, "duplicate of line 2"),
        (9, "malformed code 'ab'"),
    ]
    assert "line 5: duplicate of line 1" in info.value.message
    assert imported.store.batches() == []


def test_semicolon_csv_and_empty_file(imported: CodeLedger, tmp_path: Path) -> None:
    source = tmp_path / "client.csv"
    source.write_text("id;code\n1;QQQQ1234\n2;RRRR5678\n")
    assert batches.import_codes(imported, "client-1", source).count == 2
    assert imported.validate("RRRR5678").ok
    empty = tmp_path / "empty.csv"
    empty.write_text("code\n\n")
    with pytest.raises(FileInvalid, match="holds no codes"):
        batches.import_codes(imported, "client-2", empty)


def test_codes_already_imported_in_another_batch(imported: CodeLedger, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("AAAA1111\n")
    batches.import_codes(imported, "a", tmp_path / "a.txt")
    (tmp_path / "b.txt").write_text("BBBB1111\nAAAA1111\n")
    with pytest.raises(FileInvalid) as info:
        batches.import_codes(imported, "b", tmp_path / "b.txt")
    assert info.value.problems == [(2, "already imported in an earlier batch")]
    assert [b.name for b in imported.store.batches()] == ["a"]


def test_void_imported_codes_from_a_misprint_file(imported: CodeLedger, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("AAAA1111\nAAAA2222\nAAAA3333\n")
    batches.import_codes(imported, "a", tmp_path / "a.txt")
    (tmp_path / "cut.txt").write_text("aaaa2222\n")
    assert batches.void(imported, "a", misprints=tmp_path / "cut.txt") == 1
    assert imported.validate("AAAA2222").reason == "voided"
    assert imported.validate("AAAA3333").ok


def test_scheme_mismatch(imported: CodeLedger, ledger: CodeLedger, tmp_path: Path) -> None:
    with pytest.raises(SchemeMismatch):
        batches.generate(imported, "x", 1, tmp_path)
    (tmp_path / "a.txt").write_text("AAAA1111\n")
    with pytest.raises(SchemeMismatch):
        batches.import_codes(ledger, "x", tmp_path / "a.txt")


def test_not_utf8(tmp_path: Path) -> None:
    source = tmp_path / "bin.csv"
    source.write_bytes(b"\xff\xfe\x00garbage\n")
    with pytest.raises(FileInvalid, match="UTF-8"):
        list(read_code_file(source))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileInvalid, match="cannot read"):
        list(read_code_file(tmp_path / "nope.csv"))
