"""Re-run a draw from its published protocol and entries file, check every link.

1. the revealed seed hashes to the published commitment;
2. the entries file hashes to the entries hash in the protocol and is canonical;
3. the counts in the protocol match the file;
4. drawing again from (rules, entries, seed) gives exactly the protocol's picks.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from campaignctl.draws.entries import read_entries
from campaignctl.draws.errors import VerificationFailed
from campaignctl.draws.protocol import Protocol, draw, load_protocol
from campaignctl.draws.seed import is_hex64, matches


@dataclass(frozen=True)
class Verified:
    protocol: Protocol
    entries_path: Path
    checks: tuple[str, ...]


def verify(protocol_path: Path, entries_path: Path | None = None) -> Verified:
    """Check the protocol at ``protocol_path``; :class:`VerificationFailed` on any mismatch.

    The entries file is looked up next to the protocol under the name the
    protocol gives, unless ``entries_path`` says otherwise.
    """
    protocol = load_protocol(protocol_path)
    entries_path = entries_path or protocol_path.parent / protocol.entries_file

    def fail(message: str) -> VerificationFailed:
        return VerificationFailed(
            f"verification failed: {message}",
            hint="the protocol or the entries file was changed after the draw, or they "
            "belong to different rounds",
            path=protocol_path,
        )

    checks: list[str] = []
    if not is_hex64(protocol.seed) or not is_hex64(protocol.commitment):
        raise fail("the seed and the commitment must be 64 lowercase hex digits")
    seed = bytes.fromhex(protocol.seed)
    if not matches(seed, protocol.commitment):
        raise fail("SHA-256 of the revealed seed is not the published commitment")
    checks.append(f"seed matches the commitment {protocol.commitment}")
    entries, digest = read_entries(entries_path)
    if digest != protocol.entries_sha256:
        raise fail(
            f"the entries file {entries_path.name} hashes to {digest}, "
            f"the protocol says {protocol.entries_sha256}"
        )
    checks.append(f"entries file {entries_path.name} matches the entries hash {digest}")
    counted = (len(entries), entries.total_weight, entries.persons)
    stated = (protocol.entries_count, protocol.total_weight, protocol.persons)
    if counted != stated:
        raise fail(f"entries/weight/persons are {counted} in the file, {stated} in the protocol")
    checks.append(f"{counted[0]} entries, total weight {counted[1]}, {counted[2]} persons")
    again = draw(protocol.rules, entries, seed)
    if again != protocol.picks:
        first = next(
            (i for i, (a, b) in enumerate(zip(again, protocol.picks, strict=False)) if a != b),
            min(len(again), len(protocol.picks)),
        )
        raise fail(
            f"re-running the draw gives a different result from pick {first + 1} on "
            f"({len(again)} picks re-run, {len(protocol.picks)} in the protocol)"
        )
    checks.append(f"re-running the draw gives the same {len(again)} picks")
    return Verified(protocol, entries_path, tuple(checks))
