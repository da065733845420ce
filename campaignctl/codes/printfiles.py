"""Print files for a batch: CSV rows built as byte matrices, split, hashed, then published.

Everything is written into a hidden ``.<batch>.partial-*`` folder next to the
target and renamed to ``<batch>/`` only after the last file and ``manifest.json``
are on disk, so an interrupted run never leaves a folder that looks complete.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

import numpy as np
import numpy.typing as npt

from campaignctl.codes.codec import KeyedCodec
from campaignctl.store import BatchRow

CHUNK = 1 << 19
"""Codes encoded at a time: bounds memory (about 100 MB per chunk at most)."""

Progress = Callable[[int], None]


@dataclass(frozen=True)
class PrintFile:
    name: str
    rows: int
    first_serial: int
    last_serial: int
    bytes: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    batch: str
    key_version: int
    first_serial: int
    last_serial: int
    count: int
    alphabet: str
    length: int
    check_character: bool
    group_size: int
    qr_url_base: str | None
    qr_images: int
    created_at: str
    files: tuple[PrintFile, ...]

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2) + "\n"


@dataclass(frozen=True)
class PrintOptions:
    rows_per_file: int = 500_000
    group_size: int = 0
    qr_url_base: str | None = None
    """``https://SITE`` to add a ``qr_url`` column ``https://SITE/r?c=CODE``."""
    qr_images: bool = False


def partial_dirs(target: Path) -> list[Path]:
    """Leftovers of interrupted runs for ``target``."""
    if not target.parent.is_dir():
        return []
    return sorted(target.parent.glob(f".{target.name}.partial-*"))


def write_print_files(
    codec: KeyedCodec,
    batch: BatchRow,
    target: Path,
    options: PrintOptions,
    progress: Progress | None = None,
) -> Manifest:
    """Write the batch's print files and manifest into ``target`` (which must not exist)."""
    if not target.parent.exists():
        target.parent.mkdir(parents=True, mode=0o700)
        # Print files are the only copy of the codes: keep them out of git.
        (target.parent / ".gitignore").write_text("# campaignctl print files\n*\n")
    for stale in partial_dirs(target):
        shutil.rmtree(stale)
    work = target.parent / f".{target.name}.partial-{secrets.token_hex(4)}"
    work.mkdir(mode=0o700)
    try:
        files = tuple(_write_csvs(codec, batch, work, options, progress))
        qr_count = _write_qr_images(codec, batch, work, options) if options.qr_images else 0
        manifest = Manifest(
            batch=batch.name,
            key_version=batch.key_version,
            first_serial=batch.first_serial,
            last_serial=batch.end_serial - 1,
            count=batch.count,
            alphabet=codec.alphabet.chars,
            length=codec.length,
            check_character=codec.check is not None,
            group_size=options.group_size,
            qr_url_base=options.qr_url_base,
            qr_images=qr_count,
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
            files=files,
        )
        _write_private(work / "manifest.json", manifest.to_json().encode("utf-8"))
        work.rename(target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return manifest


def _write_private(path: Path, data: bytes) -> None:
    with _open_private(path) as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _open_private(path: Path) -> BinaryIO:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    return os.fdopen(fd, "wb")


def _write_csvs(
    codec: KeyedCodec,
    batch: BatchRow,
    work: Path,
    options: PrintOptions,
    progress: Progress | None,
) -> Iterator[PrintFile]:
    header = "serial,code" + (",qr_url" if options.qr_url_base else "") + "\n"
    per_file = max(1, options.rows_per_file)
    files = (batch.count + per_file - 1) // per_file
    digits = max(3, len(str(files)))
    for index, start in enumerate(range(batch.first_serial, batch.end_serial, per_file), 1):
        stop = min(start + per_file, batch.end_serial)
        name = f"{batch.name}-{index:0{digits}d}.csv"
        sha = hashlib.sha256()
        size = 0
        with _open_private(work / name) as handle:
            for data, rows in _header_and_rows(header, codec, start, stop, options):
                handle.write(data)
                sha.update(data)
                size += len(data)
                if progress is not None and rows:
                    progress(rows)
            handle.flush()
            os.fsync(handle.fileno())
        yield PrintFile(name, stop - start, start, stop - 1, size, sha.hexdigest())


def _header_and_rows(
    header: str, codec: KeyedCodec, start: int, stop: int, options: PrintOptions
) -> Iterator[tuple[bytes, int]]:
    yield header.encode("ascii"), 0
    for first in range(start, stop, CHUNK):
        count = min(CHUNK, stop - first)
        yield b"".join(csv_rows(codec, first, count, options)), count


def csv_rows(codec: KeyedCodec, first: int, count: int, options: PrintOptions) -> Iterator[bytes]:
    """CSV rows ``serial,code[,url]`` for serials ``first .. first+count-1``.

    Rows are assembled as a fixed-width byte matrix per run of serials with the same
    number of decimal digits, so formatting costs a few numpy copies, not a Python
    loop per code.
    """
    chars = codec.encode_range(first, count)
    shown = _grouped(chars, options.group_size)
    url_prefix = f"{options.qr_url_base.rstrip('/')}/r?c=".encode() if options.qr_url_base else b""
    end = first + count
    run_start = first
    while run_start < end:
        width = len(str(run_start))
        run_end = min(end, 10**width)
        offset = run_start - first
        n = run_end - run_start
        parts: list[npt.NDArray[np.uint8]] = [
            _decimal(run_start, n, width),
            _constant(n, b","),
            shown[offset : offset + n],
        ]
        if url_prefix:
            parts += [_constant(n, b"," + url_prefix), chars[offset : offset + n]]
        parts.append(_constant(n, b"\n"))
        yield np.concatenate(parts, axis=1).tobytes()
        run_start = run_end


def _grouped(chars: npt.NDArray[np.uint8], size: int) -> npt.NDArray[np.uint8]:
    width = chars.shape[1]
    if size <= 0 or size >= width:
        return chars
    pieces: list[npt.NDArray[np.uint8]] = []
    for start in range(0, width, size):
        if start:
            pieces.append(_constant(chars.shape[0], b"-"))
        pieces.append(chars[:, start : start + size])
    return np.concatenate(pieces, axis=1)


def _constant(rows: int, text: bytes) -> npt.NDArray[np.uint8]:
    row = np.frombuffer(text, dtype=np.uint8)
    return np.broadcast_to(row, (rows, len(text)))


def _decimal(first: int, count: int, width: int) -> npt.NDArray[np.uint8]:
    values = np.arange(first, first + count, dtype=np.uint64)
    out = np.empty((count, width), dtype=np.uint8)
    ten = np.uint64(10)
    for column in range(width - 1, -1, -1):
        values, digit = np.divmod(values, ten)
        out[:, column] = digit
    out += ord("0")
    return out


def _write_qr_images(codec: KeyedCodec, batch: BatchRow, work: Path, options: PrintOptions) -> int:
    import segno  # noqa: PLC0415 - only small batches with QR images need it

    folder = work / "qr"
    folder.mkdir(mode=0o700)
    prefix = f"{options.qr_url_base.rstrip('/')}/r?c=" if options.qr_url_base else ""
    for serial in range(batch.first_serial, batch.end_serial):
        code = codec.encode(serial)
        qr = segno.make(prefix + code, error="m")
        qr.save(str(folder / f"{serial}.png"), scale=4)
    return batch.count
