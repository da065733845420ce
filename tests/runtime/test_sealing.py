"""The sealer: one AEAD object and one keyed-hash prototype shared by every thread."""

from __future__ import annotations

import hashlib
import hmac
import os
from concurrent.futures import ThreadPoolExecutor

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from campaignctl.runtime.sealing import Sealer

KEY = bytes(range(32))


def test_sealed_text_is_plain_aes_gcm_under_the_seal_key() -> None:
    # What was sealed before the AEAD object was kept, and what any other reader
    # does: nonce + AES-GCM(seal_key) with the context as associated data.
    sealer = Sealer.from_key(KEY)
    nonce = os.urandom(12)
    old = nonce + AESGCM(sealer.seal_key).encrypt(nonce, b"+79161234567", b"ctx")
    assert sealer.open(old, context=b"ctx") == "+79161234567"
    new = sealer.seal("Анна", context=b"ctx")
    assert AESGCM(sealer.seal_key).decrypt(new[:12], new[12:], b"ctx").decode() == "Анна"
    with pytest.raises(InvalidTag):
        sealer.open(new, context=b"another message")


def test_digest_is_the_keyed_hash_of_the_label_and_text() -> None:
    sealer = Sealer.from_key(KEY)
    expected = hmac.new(sealer.hash_key, b"phone:+79161234567", hashlib.sha256).digest()
    assert sealer.digest("+79161234567") == expected
    assert sealer.digest("+79161234567") == expected  # the prototype is copied, not used up
    assert sealer.digest("+79161234567", label="email") != expected


def test_threads_share_one_sealer() -> None:
    sealer = Sealer.from_key(KEY)

    def round_trip(i: int) -> bool:
        text = f"+7916{i:07d}"
        return all(
            sealer.open(sealer.seal(text, context=str(i).encode()), context=str(i).encode()) == text
            and sealer.digest(text)
            == hmac.new(sealer.hash_key, f"phone:{text}".encode(), "sha256").digest()
            for _ in range(50)
        )

    with ThreadPoolExecutor(8) as pool:
        assert all(pool.map(round_trip, range(64)))


def test_sealers_of_one_key_are_equal_whatever_they_hold() -> None:
    assert Sealer.from_key(KEY) == Sealer.from_key(KEY)
    assert Sealer.from_key(KEY) != Sealer.from_key(bytes(32))
    assert "seal_key" in repr(Sealer.from_key(KEY))
    assert "_aead" not in repr(Sealer.from_key(KEY))
