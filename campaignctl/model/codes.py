"""The `codes` section of a campaign: how unique codes look and how many there are."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

# 32 characters: digits and Latin capitals without the look-alikes 0/O, 1/I.
# 32 is a power of two, so the keyed permutation needs no cycle walking.
DEFAULT_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"

CodeScheme = Literal["keyed", "imported"]


@dataclass(frozen=True)
class CodeSecurity:
    """What a brute-force attacker may try, and the risk the client accepts."""

    accepted_risk: float = 0.001
    """Accepted probability that an attacker finds at least one valid code."""
    attacker_ips: int = 1000
    """Distinct addresses a botnet is assumed to use (for the attempt budget)."""
    attacker_attempts: int | None = None
    """Explicit attempt budget over the whole campaign; derived from limits if unset."""


@dataclass(frozen=True)
class PrintSettings:
    rows_per_file: int = 500_000
    qr_url: bool = False
    """Add a column with https://SITE/r?c=CODE for variable-data QR printing."""
    qr_images_max: int = 0
    """Also write PNG QR images for batches of at most this many codes (0: never)."""


@dataclass(frozen=True)
class BatchPlan:
    name: str
    count: int
    printer: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class CodesSpec:
    count: int
    scheme: CodeScheme = "keyed"
    alphabet: str = DEFAULT_ALPHABET
    length: int = 10
    """Payload characters, not counting the check character."""
    check_character: bool = True
    group_size: int = 0
    """Print codes in groups of this many characters separated by '-' (0: no groups)."""
    security: CodeSecurity = field(default_factory=CodeSecurity)
    print: PrintSettings = field(default_factory=PrintSettings)
    batches: tuple[BatchPlan, ...] = ()
