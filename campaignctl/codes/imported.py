"""Imported codes: a client's own code list, streamed in and kept as keyed hashes only.

A CSV or TXT file may hold millions of lines. The code is the first field of each
line (a header line whose first field is ``code`` is skipped); blank lines and
``#`` comments are ignored. Duplicates and malformed lines are reported with their
line numbers and nothing is stored unless the whole file is clean.
"""

from __future__ import annotations

import csv
import io
import re
from array import array
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

from campaignctl.codes.alphabet import SEPARATORS
from campaignctl.codes.errors import FileInvalid

_STRIP = str.maketrans(dict.fromkeys(SEPARATORS))
_CODE = re.compile(r"[0-9A-Z]{4,64}")


def normalise_imported(text: str) -> str:
    return text.strip().upper().translate(_STRIP)


_HEADERS = ("code", "codes", "код", "коды")


def read_code_file(path: Path) -> Iterator[tuple[int, str | None, str]]:
    """(line number, normalised code or None if malformed, raw field), streamed.

    The code is the column headed ``code`` when the first line is a header (our own
    print CSV is ``serial,code,...``), else the first field. Blank lines and lines
    starting with ``#`` are skipped. Quoted fields spanning lines are not expected:
    line numbers are those of the file.
    """
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise FileInvalid(f"cannot read {path}: {exc.strerror}", [], path=path) from None
    with handle:
        try:
            first = handle.readline()
        except UnicodeDecodeError:
            raise FileInvalid(f"{path.name} is not a UTF-8 text file", [], path=path) from None
        delimiter = ";" if first.count(";") > first.count(",") else ","
        column = 0
        number = 0
        try:
            for source in (io.StringIO(first), handle):
                for row in csv.reader(source, delimiter=delimiter):
                    number += 1
                    if not row or not "".join(row).strip() or row[0].lstrip().startswith("#"):
                        continue
                    if number == 1:
                        names = [field.strip().lower() for field in row]
                        found = [i for i, n in enumerate(names) if n in _HEADERS]
                        if found:
                            column = found[0]
                            continue
                    raw = row[column] if column < len(row) else ""
                    code = normalise_imported(raw)
                    yield number, (code if _CODE.fullmatch(code) else None), raw
        except UnicodeDecodeError:
            raise FileInvalid(
                f"{path.name} is not UTF-8 text after line {number}", [], path=path
            ) from None
        except csv.Error as exc:
            raise FileInvalid(
                f"{path.name} is not valid CSV", [(number, str(exc))], path=path
            ) from None


def scan_import(
    path: Path,
    digest: Callable[[str], bytes],
    known: Callable[[list[str]], set[str]] | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """First pass: how many codes ``path`` holds; :class:`FileInvalid` listing every bad line.

    Memory stays at 16 bytes a line: the first 8 bytes of each keyed digest and the
    line number go into two arrays that are sorted once at the end to find repeats.
    A false "duplicate" needs a 64-bit collision (odds about 3e-6 for 10M codes),
    and the database's primary key on the whole digest is the final guard anyway.
    """
    prefixes = array("Q")
    numbers = array("Q")
    problems: list[tuple[int, str]] = []
    pending: list[tuple[int, str]] = []

    def look_up() -> None:
        if known is not None and pending:
            found = known([c for _, c in pending])
            problems.extend(
                (n, "already imported in an earlier batch") for n, c in pending if c in found
            )
        pending.clear()

    for number, code, raw in read_code_file(path):
        if code is None:
            problems.append((number, f"malformed code {raw.strip()[:40]!r}"))
            continue
        d = digest(code)
        prefixes.append(int.from_bytes(d[:8], "little"))
        numbers.append(number)
        pending.append((number, code))
        if len(pending) >= 2_000:
            look_up()
        if progress is not None and len(numbers) % 100_000 == 0:
            progress(100_000)
    look_up()
    keys = np.frombuffer(prefixes, dtype=np.uint64) if prefixes else np.empty(0, np.uint64)
    lines = np.frombuffer(numbers, dtype=np.uint64) if numbers else np.empty(0, np.uint64)
    order = np.lexsort((lines, keys))
    sorted_keys = keys[order]
    repeat = np.flatnonzero(sorted_keys[1:] == sorted_keys[:-1]) + 1
    for i in repeat.tolist():
        first = i - 1
        while first > 0 and sorted_keys[first - 1] == sorted_keys[i]:
            first -= 1
        problems.append((int(lines[order[i]]), f"duplicate of line {int(lines[order[first]])}"))
    if problems:
        problems.sort()
        raise FileInvalid(
            f"{len(problems)} problem line(s) in {path.name}; nothing was imported",
            problems,
            path=path,
        )
    if not numbers:
        raise FileInvalid(f"{path.name} holds no codes", [], path=path)
    return len(numbers)


def digest_chunks(
    path: Path, digest: Callable[[str], bytes], chunk_size: int = 20_000
) -> Iterator[list[tuple[bytes, int]]]:
    """Second pass over a clean file: (digest, ordinal) pairs in chunks."""
    chunk: list[tuple[bytes, int]] = []
    ordinal = 0
    for _number, code, _raw in read_code_file(path):
        if code is None:  # pragma: no cover - scan_import rejected the file
            continue
        chunk.append((digest(code), ordinal))
        ordinal += 1
        if len(chunk) >= chunk_size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
