"""Personal data at rest: AES-GCM sealing and keyed-hash lookups, keys outside the database.

Both keys derive from the campaign key ring (``.campaignctl/codes.key``, 0600)
with their own labels, so they are independent of the code permutation key. The
oldest key version is used: rotating the codes key must not make stored phones
unreadable or unfindable.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from campaignctl.codes.keys import create_keys, key_path, load_keys, subkey


@dataclass(frozen=True)
class Sealer:
    seal_key: bytes
    hash_key: bytes
    # Built once: the AEAD object keeps its key schedule, and every seal and open
    # copies its base context, so one object serves every thread.
    _aead: AESGCM = field(init=False, repr=False, compare=False)
    _mac: hmac.HMAC = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_aead", AESGCM(self.seal_key))
        object.__setattr__(self, "_mac", hmac.new(self.hash_key, digestmod=hashlib.sha256))

    @classmethod
    def from_key(cls, key: bytes) -> Sealer:
        return cls(subkey(key, "runtime/pd-seal/v1"), subkey(key, "runtime/pd-hash/v1"))

    def seal(self, text: str | bytes, *, context: bytes = b"") -> bytes:
        """``text`` (a string, or its UTF-8 bytes) encrypted and bound to ``context``."""
        nonce = os.urandom(12)
        data = text.encode("utf-8") if isinstance(text, str) else text
        return nonce + self._aead.encrypt(nonce, data, context)

    def open(self, sealed: bytes, *, context: bytes = b"") -> str:
        data = bytes(sealed)
        return self._aead.decrypt(data[:12], data[12:], context).decode("utf-8")

    def digest(self, text: str, *, label: str = "phone") -> bytes:
        # A copy of a keyed prototype, not ``hmac.digest``: that one-shot call
        # releases the GIL for every phone, and on the event loop each release
        # hands the GIL to the group-commit writer until its next switch.
        mac = self._mac.copy()
        mac.update(f"{label}:{text}".encode())
        return mac.digest()


def ensure_sealer(campaign_folder: Path) -> Sealer:
    """The campaign's sealer; creates the key ring when the campaign has none yet."""
    if key_path(campaign_folder).exists():
        ring = load_keys(campaign_folder)
    else:
        ring = create_keys(campaign_folder)
    return Sealer.from_key(ring[min(ring)])
