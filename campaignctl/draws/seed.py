"""The seed a draw commits to before it happens and reveals after.

The organizer publishes SHA-256(seed) before the entries close (on the site's
winners page); after the draw the seed is revealed in the protocol. Anyone can
hash the seed and compare: the organizer could not have changed it after
seeing the entries.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

SEED_BYTES = 32
_HEX64 = re.compile(r"[0-9a-f]{64}")


def new_seed() -> bytes:
    return secrets.token_bytes(SEED_BYTES)


def commitment(seed: bytes) -> str:
    """The public commitment to ``seed``: its SHA-256, lowercase hex."""
    return hashlib.sha256(seed).hexdigest()


def matches(seed: bytes, published: str) -> bool:
    return hmac.compare_digest(commitment(seed), published)


def is_hex64(text: str) -> bool:
    return _HEX64.fullmatch(text) is not None
