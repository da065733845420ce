"""Registration ids: UUIDv7 (RFC 9562), time-ordered, 74 random bits.

A random UUIDv4 lands each new registration (and its outbox message, keyed by
it) on a random page of the primary-key index, so every insert dirties a page
of its own and the working set grows with the table; a time-ordered id appends
to the last pages. The id tells when it was made, which the registration row
and its CRM message say anyway; the 74 random bits keep ids unguessable.
"""

from __future__ import annotations

import os
import time
import uuid


def new_id() -> str:
    """A new UUIDv7 as its canonical string."""
    ms = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")  # 80 bits; 74 are used
    value = (ms & (2**48 - 1)) << 80
    value |= 0x7 << 76  # version
    value |= ((rand >> 68) & 0xFFF) << 64  # rand_a, 12 bits
    value |= 0b10 << 62  # variant
    value |= rand & (2**62 - 1)  # rand_b, 62 bits
    return str(uuid.UUID(int=value))
