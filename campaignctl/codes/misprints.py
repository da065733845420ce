"""A printer's misprint list -> the serial ranges to void, checked whole before anything changes.

Misprints can be most of a run (up to 70% of millions of codes), so keyed codes are
decoded in chunks with the vectorised inverse permutation, and the serials are
coalesced into as few ranges as possible.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt

from campaignctl.codes.errors import FileInvalid
from campaignctl.codes.imported import normalise_imported, read_code_file
from campaignctl.codes.ledger import CodeLedger
from campaignctl.store import BatchRow

CHUNK = 100_000
Line = tuple[int, str]  # (line number, raw field)


def misprint_ranges(ledger: CodeLedger, batch: BatchRow, path: Path) -> list[tuple[int, int]]:
    """Inclusive serial ranges of the codes listed in ``path`` (one per line, or a print CSV).

    :class:`FileInvalid` lists every line that is not a code of ``batch``.
    """
    problems: list[tuple[int, str]] = []
    serials: list[npt.NDArray[np.uint64]] = []
    resolve = _keyed if ledger.spec.scheme == "keyed" else _imported
    chunk: list[Line] = []
    for number, _code, raw in read_code_file(path):
        chunk.append((number, raw))
        if len(chunk) >= CHUNK:
            serials.append(resolve(ledger, batch, chunk, problems))
            chunk = []
    if chunk:
        serials.append(resolve(ledger, batch, chunk, problems))
    if problems:
        raise FileInvalid(
            f"{len(problems)} line(s) of {path.name} are not codes of batch {batch.name}; "
            "nothing was voided",
            sorted(problems),
            path=path,
        )
    found = np.unique(np.concatenate(serials)) if serials else np.empty(0, np.uint64)
    if not found.size:
        raise FileInvalid(f"{path.name} lists no codes; nothing was voided", [], path=path)
    return runs(found)


def runs(serials: npt.NDArray[np.uint64]) -> list[tuple[int, int]]:
    """Sorted unique serials -> inclusive ranges of consecutive ones."""
    breaks = np.flatnonzero(np.diff(serials.astype(np.int64)) != 1) + 1
    starts = np.concatenate(([0], breaks))
    ends = np.concatenate((breaks - 1, [serials.size - 1]))
    return list(zip(serials[starts].tolist(), serials[ends].tolist(), strict=True))


def _problem(batch: BatchRow, number: int, raw: str) -> tuple[int, str]:
    return number, f"{raw.strip()[:40]!r} is not a code of batch {batch.name}"


def _keyed(
    ledger: CodeLedger, batch: BatchRow, chunk: list[Line], problems: list[tuple[int, str]]
) -> npt.NDArray[np.uint64]:
    codec = ledger.codec_for(batch.key_version)
    shaped: list[Line] = []
    texts: list[str] = []
    for number, raw in chunk:
        text = codec.alphabet.normalise(raw)
        if len(text) == codec.width and text.isascii():
            shaped.append((number, raw))
            texts.append(text)
        else:
            problems.append(_problem(batch, number, raw))
    if not texts:
        return np.empty(0, np.uint64)
    matrix = np.frombuffer("".join(texts).encode("ascii"), dtype=np.uint8)
    serials, ok = codec.decode_many(matrix.reshape(len(texts), codec.width))
    ok &= (serials >= np.uint64(batch.first_serial)) & (serials < np.uint64(batch.end_serial))
    problems.extend(_problem(batch, *shaped[i]) for i in np.flatnonzero(~ok).tolist())
    good: npt.NDArray[np.uint64] = serials[ok]
    return good


def _imported(
    ledger: CodeLedger, batch: BatchRow, chunk: list[Line], problems: list[tuple[int, str]]
) -> npt.NDArray[np.uint64]:
    digests = [ledger.digest(normalise_imported(raw), batch.key_version) for _, raw in chunk]
    serial_of = ledger.store.serials_of_digests(digests)
    good: list[int] = []
    for (number, raw), digest in zip(chunk, digests, strict=True):
        serial = serial_of.get(digest)
        if serial is None or not batch.holds(serial):
            problems.append(_problem(batch, number, raw))
        else:
            good.append(serial)
    return np.array(good, dtype=np.uint64)
