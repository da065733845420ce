"""Batch operations: generate (keyed), import (client codes), void, and the statistics."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from campaignctl.codes.capacity import Capacity
from campaignctl.codes.check import CheckCharacter
from campaignctl.codes.errors import (
    BatchExists,
    CodesError,
    CountInvalid,
    SchemeMismatch,
)
from campaignctl.codes.imported import (
    digest_chunks,
    scan_import,
)
from campaignctl.codes.keys import key_path
from campaignctl.codes.ledger import CodeLedger
from campaignctl.codes.misprints import misprint_ranges
from campaignctl.codes.printfiles import Manifest, PrintOptions, write_print_files
from campaignctl.store import BatchRow

Progress = Callable[[int], None]
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


@dataclass(frozen=True)
class Generated:
    batch: BatchRow
    folder: Path
    manifest: Manifest


@dataclass(frozen=True)
class BatchSummary:
    name: str
    scheme: str
    state: str
    first_serial: int
    last_serial: int
    count: int
    voided: int
    redeemed: int

    @property
    def active(self) -> int:
        """Codes that count: issued and not voided."""
        return self.count - self.voided


def _check_name(name: str) -> None:
    if not _NAME.fullmatch(name):
        raise CodesError(
            f"batch name {name!r} is not usable as a folder name",
            hint="use letters, digits, '.', '_' and '-', e.g. run-1",
        )


def _check_count(ledger: CodeLedger, count: int, *, resuming: BatchRow | None) -> None:
    if count <= 0:
        raise CountInvalid(f"count must be a positive number of codes, not {count:,}")
    spec = ledger.spec
    issued = sum(b.count for b in ledger.store.batches() if resuming is None or b.id != resuming.id)
    if spec.scheme == "keyed":
        space = len(spec.alphabet) ** spec.length
        allocated = ledger.book.allocated - (resuming.count if resuming else 0)
        if allocated + count > space:
            raise CountInvalid(
                f"{count:,} more codes do not fit: the code space holds {space:,} and "
                f"{allocated:,} serials are allocated",
                hint="use a longer code (codes.length) for a new campaign",
            )
    if issued + count > spec.count:
        raise CountInvalid(
            f"{issued:,} codes exist and {count:,} more would exceed codes.count = {spec.count:,}",
            hint="raise codes.count in the campaign file and run `campaignctl validate`: "
            "the guessing-risk check is made for that count",
        )


def generate(
    ledger: CodeLedger,
    name: str,
    count: int,
    out_root: Path,
    *,
    base_url: str | None = None,
    progress: Progress | None = None,
) -> Generated:
    """Allocate the next serial range to batch ``name`` and write its print files.

    The batch is ``generating`` while files are written and becomes ``generated``
    only after its folder is complete; any failure removes the batch again. A batch
    left ``generating`` by a killed run is regenerated on the same serials.
    """
    spec = ledger.spec
    if spec.scheme != "keyed":
        raise SchemeMismatch(
            "this campaign imports its codes (codes.scheme: imported)",
            hint="use `campaignctl codes import`",
        )
    _check_name(name)
    existing = ledger.store.batch(name)
    if existing is not None and (existing.state != "generating" or existing.count != count):
        raise BatchExists(
            f"batch {name!r} already exists ({existing.count:,} codes, {existing.state})",
            hint="choose a new batch name; a batch is never allocated twice",
        )
    _check_count(ledger, count, resuming=existing)
    target = out_root / name
    if target.exists():
        raise BatchExists(
            f"{target} already exists", hint="move it away or choose another --out folder"
        )
    if spec.print.qr_url and not base_url:
        raise CodesError(
            "codes.print.qr_url is on but channels.site.base_url is not set",
            hint="set channels.site.base_url, e.g. https://promo.example.ru",
        )
    options = PrintOptions(
        rows_per_file=spec.print.rows_per_file,
        group_size=spec.group_size,
        qr_url_base=base_url if spec.print.qr_url else None,
        qr_images=0 < count <= spec.print.qr_images_max,
    )
    ledger.key_ring(create=True)
    version = existing.key_version if existing is not None else ledger.key_version
    codec = ledger.codec_for(version)
    batch = existing or ledger.store.allocate(name, count, "keyed", version)
    if batch is None:
        raise BatchExists(f"batch {name!r} was created concurrently by another run")
    try:
        manifest = write_print_files(codec, batch, target, options, progress)
        ledger.store.set_state(batch.id, "generated")
    except BaseException:
        ledger.store.discard(batch.id)
        raise
    finally:
        ledger.refresh()
    return Generated(ledger.batch(name), target, manifest)


def import_codes(
    ledger: CodeLedger, name: str, path: Path, progress: Progress | None = None
) -> BatchRow:
    """Import a client's code list as batch ``name``: keyed hashes only, all or nothing."""
    if ledger.spec.scheme != "imported":
        raise SchemeMismatch(
            "this campaign generates keyed codes (codes.scheme: keyed)",
            hint="set codes.scheme: imported to use a client's own code list",
        )
    _check_name(name)
    if ledger.store.batch(name) is not None:
        raise BatchExists(f"batch {name!r} already exists", hint="choose a new batch name")
    ledger.key_ring(create=True)
    version = ledger.key_version

    def digest(code: str) -> bytes:
        return ledger.digest(code, version)

    def known(codes: list[str]) -> set[str]:
        found: set[str] = set()
        for v in ledger.key_ring():  # a code imported before a key rotation, too
            by_digest = {ledger.digest(c, v): c for c in codes}
            found |= {by_digest[d] for d in ledger.store.known_digests(list(by_digest))}
        return found

    count = scan_import(path, digest, known, progress)
    _check_count(ledger, count, resuming=None)
    batch = ledger.store.allocate(name, count, "imported", version)
    if batch is None:
        raise BatchExists(f"batch {name!r} was created concurrently by another run")
    first = batch.first_serial
    chunks = (
        [(d, first + ordinal) for d, ordinal in chunk] for chunk in digest_chunks(path, digest)
    )
    try:
        ledger.store.add_digests(batch.id, chunks)
        ledger.store.set_state(batch.id, "generated")
    except BaseException:
        ledger.store.discard(batch.id)
        raise
    finally:
        ledger.refresh()
    return ledger.batch(name)


PRINT_STATES = ("generated", "sent_to_printer", "printed", "shipped")
"""The life of a batch after generation, in order; `voided` is reached by `void` only."""


def mark(ledger: CodeLedger, name: str, state: str) -> BatchRow:
    """Move a batch forward in its life: sent_to_printer, printed, shipped."""
    batch = ledger.batch(name)
    if state not in PRINT_STATES[1:]:
        raise CodesError(
            f"{state!r} is not a state a batch can be marked with",
            hint=f"use one of {', '.join(PRINT_STATES[1:])}; to void, use `codes void`",
        )
    if batch.state not in PRINT_STATES or PRINT_STATES.index(state) <= PRINT_STATES.index(
        batch.state
    ):
        raise CodesError(
            f"batch {name!r} is {batch.state}; it cannot become {state}",
            hint="states only move forward: " + " -> ".join(PRINT_STATES),
        )
    ledger.store.set_state(batch.id, state)
    ledger.refresh()
    return ledger.batch(name)


def parse_serials(text: str) -> tuple[int, int]:
    """``A-B`` (inclusive) -> (A, B)."""
    match = re.fullmatch(r"\s*(\d+)\s*[-–]\s*(\d+)\s*", text)
    if not match or int(match[1]) > int(match[2]):
        raise CodesError(
            f"--serials {text!r} is not a range", hint="write FIRST-LAST, e.g. 1000-1999"
        )
    return int(match[1]), int(match[2])


def void(
    ledger: CodeLedger,
    name: str,
    *,
    serials: tuple[int, int] | None = None,
    misprints: Path | None = None,
) -> int:
    """Void a whole batch, an inclusive serial range, or the codes of a misprint file.

    Returns how many codes are newly voided. A misprint file is checked whole first:
    any line that is not a code of this batch fails the command and voids nothing.
    """
    batch = ledger.batch(name)
    if batch.state == "generating":
        raise CodesError(f"batch {name!r} is still generating", hint="let it finish first")
    if serials is not None and misprints is not None:
        raise CodesError("give either --serials or --file, not both")
    before = ledger.book.voided_count(batch)
    if serials is None and misprints is None:
        ledger.store.set_state(batch.id, "voided")
    elif serials is not None:
        first, last = serials
        if first < batch.first_serial or last >= batch.end_serial:
            raise CodesError(
                f"serials {first}-{last} are outside batch {name!r}",
                hint=f"its serials are {batch.first_serial}-{batch.end_serial - 1}",
            )
        ledger.store.add_voids(batch.id, [(first, last)], f"serials {first}-{last}")
    elif misprints is not None:
        ranges = misprint_ranges(ledger, batch, misprints)
        ledger.store.add_voids(batch.id, ranges, f"misprint file {misprints.name}")
    ledger.refresh()
    after = ledger.book.voided_count(ledger.batch(name))
    return after - before


def summaries(ledger: CodeLedger) -> list[BatchSummary]:
    book = ledger.book
    out = []
    for batch in book.batches:
        redeemed = [
            s for s in ledger.store.redeemed_serials(batch.id) if not book.is_voided(batch, s)
        ]
        out.append(
            BatchSummary(
                name=batch.name,
                scheme=batch.scheme,
                state=batch.state,
                first_serial=batch.first_serial,
                last_serial=batch.end_serial - 1,
                count=batch.count,
                voided=book.voided_count(batch),
                redeemed=len(redeemed),
            )
        )
    return out


@dataclass(frozen=True)
class CodesInfo:
    """What `codes info` shows: the code space, the risk, what is issued, the keys."""

    capacity: Capacity
    check_method: str
    issued: int
    key_versions: tuple[int, ...]
    key_file: Path


def describe(ledger: CodeLedger, attempts: int) -> CodesInfo:
    """Capacity and guessing risk for the planned count under ``attempts`` guesses."""
    spec = ledger.spec
    capacity = Capacity.of(
        len(spec.alphabet), spec.length, spec.count, attempts, spec.security.accepted_risk
    )
    method = CheckCharacter(len(spec.alphabet)).method if spec.check_character else "none"
    path = key_path(ledger.folder)
    return CodesInfo(
        capacity=capacity,
        check_method=method if spec.scheme == "keyed" else "n/a (imported)",
        issued=sum(b.count for b in ledger.book.batches if b.state != "generating"),
        key_versions=tuple(sorted(ledger.key_ring())) if path.exists() else (),
        key_file=path,
    )
