"""A deterministic random stream keyed by the seed and bound to the entries hash.

Block i is HMAC-SHA256(seed, label || entries_sha256 || i), a pseudorandom
function of the secret-until-revealed seed: without the seed nobody can predict
a block, with it anyone can recompute every block. Integers below n come from
256-bit blocks by rejection sampling, so each value is exactly equally likely.
"""

from __future__ import annotations

import hashlib
import hmac

LABEL = b"campaignctl/draw/v1\x00"
_SPACE = 1 << 256


class DrawStream:
    def __init__(self, seed: bytes, entries_sha256: str) -> None:
        self._mac = hmac.new(seed, LABEL + bytes.fromhex(entries_sha256), hashlib.sha256)
        self._counter = 0

    def block(self) -> int:
        mac = self._mac.copy()
        mac.update(self._counter.to_bytes(8, "big"))
        self._counter += 1
        return int.from_bytes(mac.digest(), "big")

    def below(self, n: int) -> int:
        """A uniform integer in [0, n)."""
        if n <= 0:
            raise ValueError("n must be positive")
        limit = _SPACE - _SPACE % n
        while True:
            value = self.block()
            if value < limit:
                return value % n

    @property
    def blocks_used(self) -> int:
        return self._counter
