from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

from campaignctl.codes import batches
from campaignctl.codes.errors import (
    BatchExists,
    CodesError,
    CountInvalid,
    FileInvalid,
    KeyMissing,
    UnknownBatch,
)
from campaignctl.codes.keys import key_path
from campaignctl.codes.ledger import CodeLedger
from campaignctl.model.codes import PrintSettings
from tests.codes.conftest import make_spec


def _codes(folder: Path) -> list[str]:
    manifest = json.loads((folder / "manifest.json").read_text())
    codes: list[str] = []
    for f in manifest["files"]:
        with (folder / f["name"]).open(newline="") as handle:
            codes += [row["code"] for row in csv.DictReader(handle)]
    return codes


def test_generate_writes_split_files_with_manifest(ledger: CodeLedger, tmp_path: Path) -> None:
    result = batches.generate(ledger, "run-1", 100_000, tmp_path / "print")
    folder = tmp_path / "print" / "run-1"
    assert result.folder == folder
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["count"] == 100_000
    assert (manifest["first_serial"], manifest["last_serial"]) == (0, 99_999)
    assert [f["rows"] for f in manifest["files"]] == [40_000, 40_000, 20_000]
    for f in manifest["files"]:
        data = (folder / f["name"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == f["sha256"]
        assert len(data) == f["bytes"]
        assert (folder / f["name"]).stat().st_mode & 0o777 == 0o600
    with (folder / "run-1-001.csv").open() as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["serial", "code"]
    assert rows[1][0] == "0"
    assert len(rows[1][1]) == 13 and rows[1][1][4] == "-"  # 11 characters in groups of 4
    codes = _codes(folder)
    assert len(set(codes)) == 100_000
    chars = np.frombuffer("".join(c.replace("-", "") for c in codes).encode(), np.uint8)
    serials, ok = ledger.codec.decode_many(chars.reshape(-1, 11))
    assert ok.all() and (serials == np.arange(100_000, dtype=np.uint64)).all()
    assert ledger.batch("run-1").state == "generated"
    assert sorted(p.name for p in (tmp_path / "print").iterdir()) == [".gitignore", "run-1"]
    assert (tmp_path / "print").stat().st_mode & 0o777 == 0o700


def test_second_batch_continues_the_serials(ledger: CodeLedger, tmp_path: Path) -> None:
    batches.generate(ledger, "a", 10, tmp_path)
    second = batches.generate(ledger, "b", 5, tmp_path)
    assert (second.batch.first_serial, second.batch.end_serial) == (10, 15)
    assert ledger.validate(_codes(second.folder)[0]).batch == "b"


def test_same_batch_name_is_refused(ledger: CodeLedger, tmp_path: Path) -> None:
    batches.generate(ledger, "run-1", 10, tmp_path)
    with pytest.raises(BatchExists, match="already exists"):
        batches.generate(ledger, "run-1", 10, tmp_path / "elsewhere")
    assert len(ledger.store.batches()) == 1


@pytest.mark.parametrize(
    ("count", "message"),
    [(0, "positive"), (-5, "positive"), (10_001, "do not fit"), (5_001, "codes.count")],
)
def test_bad_counts_write_nothing(tmp_path: Path, count: int, message: str) -> None:
    spec = make_spec(alphabet="0123456789", length=4, count=5_000 if count != 10_001 else 20_000)
    ledger = CodeLedger.open(tmp_path, spec)
    with pytest.raises(CountInvalid, match=message):
        batches.generate(ledger, "run-1", count, tmp_path / "print")
    assert ledger.store.batches() == []
    assert not (tmp_path / "print").exists()
    assert not key_path(tmp_path).exists()


def test_interrupted_generate_leaves_no_batch(ledger: CodeLedger, tmp_path: Path) -> None:
    seen = 0

    def interrupt(rows: int) -> None:
        nonlocal seen
        seen += rows
        if seen > 50_000:
            raise KeyboardInterrupt

    out = tmp_path / "print"
    with pytest.raises(KeyboardInterrupt):
        batches.generate(ledger, "run-1", 100_000, out, progress=interrupt)
    assert ledger.store.batches() == []
    assert [p.name for p in out.iterdir()] == [".gitignore"]
    done = batches.generate(ledger, "run-1", 100_000, out)
    assert done.batch.first_serial == 0
    assert ledger.batch("run-1").state == "generated"


def test_killed_run_is_regenerated_on_the_same_serials(ledger: CodeLedger, tmp_path: Path) -> None:
    ledger.key_ring(create=True)
    stale = ledger.store.allocate("run-1", 50, "keyed")
    assert stale is not None
    leftover = tmp_path / ".run-1.partial-dead"
    leftover.mkdir()
    (leftover / "run-1-001.csv").write_text("serial,code\n")
    assert ledger.validate(ledger.codec.encode(0)).reason == "not_a_code"  # still generating
    with pytest.raises(BatchExists):
        batches.generate(ledger, "run-1", 60, tmp_path)  # a different count is not a resume
    done = batches.generate(ledger, "run-1", 50, tmp_path)
    assert done.batch.id == stale.id
    assert not leftover.exists()
    assert ledger.validate(ledger.codec.encode(0)).ok


def test_missing_key_file_is_an_error_not_a_new_key(ledger: CodeLedger, tmp_path: Path) -> None:
    result = batches.generate(ledger, "run-1", 10, tmp_path)
    code = _codes(result.folder)[0]
    key_path(ledger.folder).unlink()
    fresh = CodeLedger(ledger.folder, ledger.spec, ledger.store)
    with pytest.raises(KeyMissing, match="missing") as info:
        fresh.validate(code)
    assert "backup" in (info.value.hint or "")
    with pytest.raises(KeyMissing):
        batches.generate(fresh, "run-2", 10, tmp_path)
    assert not key_path(ledger.folder).exists()
    assert [b.name for b in ledger.store.batches()] == ["run-1"]


def test_void_serial_range_and_whole_batch(ledger: CodeLedger, tmp_path: Path) -> None:
    result = batches.generate(ledger, "run-1", 1_000, tmp_path)
    codes = _codes(result.folder)
    assert batches.void(ledger, "run-1", serials=(100, 199)) == 100
    assert batches.void(ledger, "run-1", serials=(150, 249)) == 50  # overlap counts once
    assert ledger.validate(codes[99]).ok
    assert ledger.validate(codes[100]).reason == "voided"
    assert ledger.validate(codes[249]).reason == "voided"
    assert ledger.validate(codes[250]).ok
    (summary,) = batches.summaries(ledger)
    assert (summary.voided, summary.active) == (150, 850)
    with pytest.raises(CodesError, match="outside batch"):
        batches.void(ledger, "run-1", serials=(900, 1_000))
    assert batches.void(ledger, "run-1") == 850
    assert ledger.validate(codes[0]).reason == "voided"
    assert batches.summaries(ledger)[0].active == 0


def test_void_misprint_file(ledger: CodeLedger, tmp_path: Path) -> None:
    result = batches.generate(ledger, "run-1", 1_000, tmp_path)
    codes = _codes(result.folder)
    misprints = tmp_path / "misprints.txt"
    misprints.write_text("\n".join([codes[5], codes[6].lower(), "", codes[900]]) + "\n")
    assert batches.void(ledger, "run-1", misprints=misprints) == 3
    assert ledger.validate(codes[6]).reason == "voided"
    assert ledger.validate(codes[7]).ok
    # the printer may send back our own CSV (serial,code) for the cut sheets
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("serial,code\n" + "".join(f"{i},{codes[i]}\n" for i in range(10, 20)))
    assert batches.void(ledger, "run-1", misprints=sheet) == 10


def test_malformed_misprint_file_voids_nothing(ledger: CodeLedger, tmp_path: Path) -> None:
    result = batches.generate(ledger, "run-1", 100, tmp_path)
    other = batches.generate(ledger, "run-2", 10, tmp_path)
    codes = _codes(result.folder)
    bad = tmp_path / "bad.txt"
    bad.write_text(f"{codes[1]}\nnot-a-code\n{codes[2]}\n{_codes(other.folder)[0]}\n")
    with pytest.raises(FileInvalid) as info:
        batches.void(ledger, "run-1", misprints=bad)
    assert info.value.problems[0][0] == 2
    assert info.value.problems[1][0] == 4
    assert "line 2" in info.value.message and "line 4" in info.value.message
    assert ledger.validate(codes[1]).ok
    assert batches.summaries(ledger)[0].voided == 0


def test_unknown_batch(ledger: CodeLedger) -> None:
    with pytest.raises(UnknownBatch, match="no batch named 'nope'"):
        batches.void(ledger, "nope")


@pytest.mark.parametrize("text", ["5", "9-3", "a-b", "1-2-3"])
def test_bad_serial_ranges(text: str) -> None:
    with pytest.raises(CodesError, match="not a range"):
        batches.parse_serials(text)


def test_qr_url_column_and_images(tmp_path: Path) -> None:
    spec = make_spec(print=PrintSettings(rows_per_file=100, qr_url=True, qr_images_max=5))
    ledger = CodeLedger.open(tmp_path, spec)
    result = batches.generate(ledger, "small", 3, tmp_path / "out", base_url="https://x.ru/")
    with (result.folder / "small-001.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["qr_url"] == "https://x.ru/r?c=" + rows[0]["code"].replace("-", "")
    assert sorted(p.name for p in (result.folder / "qr").iterdir()) == ["0.png", "1.png", "2.png"]
    big = batches.generate(ledger, "big", 6, tmp_path / "out", base_url="https://x.ru")
    assert not (big.folder / "qr").exists()
    with pytest.raises(CodesError, match="base_url"):
        batches.generate(ledger, "nourl", 1, tmp_path / "out")


def test_mark_moves_forward_only(ledger: CodeLedger, tmp_path: Path) -> None:
    batches.generate(ledger, "run-1", 10, tmp_path)
    assert batches.mark(ledger, "run-1", "sent_to_printer").state == "sent_to_printer"
    assert batches.mark(ledger, "run-1", "shipped").state == "shipped"
    assert ledger.validate(ledger.codec.encode(1)).state == "shipped"
    with pytest.raises(CodesError, match="cannot become printed"):
        batches.mark(ledger, "run-1", "printed")
    with pytest.raises(CodesError, match="not a state"):
        batches.mark(ledger, "run-1", "voided")
    batches.void(ledger, "run-1")
    with pytest.raises(CodesError, match="is voided"):
        batches.mark(ledger, "run-1", "shipped")
