"""A keyed permutation of [0, N**L): which code string a serial number becomes.

The construction is the one of NIST SP 800-38G FF1: a Feistel network on numeral
strings. A serial is split into a high part ``a`` (``ceil(L/2)`` base-N digits) and
a low part ``b`` (``floor(L/2)`` digits); each round adds, modulo the part's size,
a pseudo-random function of the other part::

    round i even:  a = (a + F_i(b)) mod N**ceil(L/2)
    round i odd:   b = (b + F_i(a)) mod N**floor(L/2)

and the inverse subtracts in reverse order. ``F_i`` is AES-256 of one block holding
the other part, the round number and the code geometry (domain separation), of
which we keep 64 bits; the part sizes are at most 64**8 = 2**48, so reducing 64
bits modulo them leaves a bias below 2**-16 per round.

Why modular halves rather than a binary Feistel with cycle walking: the network
permutes exactly [0, N**L) for any alphabet, so every code costs the same ten AES
blocks (no data-dependent re-encryption loop, which vectorises badly and makes
validation time depend on the code), and each half fits in 64 bits even for the
largest space the schema allows (64**16 = 2**96).
"""

from __future__ import annotations

import struct
import threading

import numpy as np
import numpy.typing as npt
from cryptography.hazmat.primitives.ciphers import Cipher, CipherContext, algorithms, modes

ROUNDS = 10
_TAG = 0x43435631  # "CCV1": campaignctl codes, version 1 of this construction
Words = npt.NDArray[np.uint64]
_BLOCK = struct.Struct("<QQ")  # a round's AES input: the other part, then the tweak
_WORD = struct.Struct("<Q")  # the 64 bits of the AES output a round keeps


def _block_cipher(key: bytes) -> CipherContext:
    # ECB over independent single blocks is the raw AES block function, used here as
    # a PRF; no message longer than one block is ever encrypted with it.
    return Cipher(algorithms.AES(key), modes.ECB()).encryptor()  # noqa: S305


class KeyedPermutation:
    """The Feistel network for one key and one code geometry (radix, length)."""

    def __init__(self, key: bytes, radix: int, length: int, rounds: int = ROUNDS) -> None:
        if len(key) != 32:
            raise ValueError("the permutation key must be 32 bytes")
        if rounds < 8 or rounds % 2:
            raise ValueError("use an even number of rounds, at least 8")
        self.radix = radix
        self.length = length
        self.rounds = rounds
        self.high_digits = (length + 1) // 2
        self.low_digits = length // 2
        self.high_size: int = radix**self.high_digits
        self.low_size: int = radix**self.low_digits
        if self.high_size > 1 << 56:
            raise ValueError(f"{radix}**{self.high_digits} is too large for one half")
        self.size: int = self.high_size * self.low_size
        self._key = key
        # Domain separation: round number, radix and length in the second word.
        self._tweaks = [(_TAG << 32) | (i << 16) | (radix << 8) | length for i in range(rounds)]
        self._local = threading.local()

    # -- scalar path: one code, for validation --------------------------------

    def _cipher(self) -> CipherContext:
        cipher: CipherContext | None = getattr(self._local, "cipher", None)
        if cipher is None:
            # One context per thread: a cipher context must not be shared by threads.
            cipher = _block_cipher(self._key)
            self._local.cipher = cipher
        return cipher

    def _round(self, cipher: CipherContext, i: int, value: int, modulus: int) -> int:
        out = cipher.update(_BLOCK.pack(value, self._tweaks[i]))
        return int(_WORD.unpack_from(out)[0]) % modulus

    def encrypt(self, serial: int) -> tuple[int, int]:
        """Serial -> (high, low) parts of the code value."""
        if not 0 <= serial < self.size:
            raise ValueError(f"serial {serial} is outside the code space")
        a, b = divmod(serial, self.low_size)
        cipher = self._cipher()
        for i in range(self.rounds):
            if i % 2 == 0:
                a = (a + self._round(cipher, i, b, self.high_size)) % self.high_size
            else:
                b = (b + self._round(cipher, i, a, self.low_size)) % self.low_size
        return a, b

    def decrypt(self, high: int, low: int) -> int:
        """(high, low) parts of a code value -> serial."""
        # :meth:`_round` inlined: this runs for every code a participant enters.
        a, b = high, low
        update = self._cipher().update
        pack, unpack = _BLOCK.pack, _WORD.unpack_from
        tweaks, high_size, low_size = self._tweaks, self.high_size, self.low_size
        for i in reversed(range(self.rounds)):
            if i % 2 == 0:
                a = (a - unpack(update(pack(b, tweaks[i])))[0] % high_size) % high_size
            else:
                b = (b - unpack(update(pack(a, tweaks[i])))[0] % low_size) % low_size
        return a * low_size + b

    # -- vector path: a chunk of consecutive serials, for generation ----------

    def encrypt_range(self, first: int, count: int) -> tuple[Words, Words]:
        """Serials ``first .. first+count-1`` -> arrays of (high, low) parts."""
        if first < 0 or first + count > self.size:
            raise ValueError("serial range is outside the code space")
        if first + count > 1 << 63:
            raise ValueError("serials beyond 2**63 are not supported")
        serials = np.arange(first, first + count, dtype=np.uint64)
        a, b = np.divmod(serials, np.uint64(self.low_size))
        self._rounds_many(a, b, forward=True)
        return a, b

    def decrypt_many(self, high: Words, low: Words) -> Words:
        """Arrays of (high, low) parts -> serials (the inverse of :meth:`encrypt_range`)."""
        a = high.astype(np.uint64, copy=True)
        b = low.astype(np.uint64, copy=True)
        if a.size and (int(a.max()) >= self.high_size or int(b.max()) >= self.low_size):
            raise ValueError("a part is outside the code space")
        self._rounds_many(a, b, forward=False)
        serials: Words = a * np.uint64(self.low_size) + b
        return serials

    def _rounds_many(self, a: Words, b: Words, *, forward: bool) -> None:
        """Run the network in place. Each round encrypts all blocks with one AES call."""
        count = a.shape[0]
        cipher = _block_cipher(self._key)
        blocks = np.empty((count, 2), dtype="<u8")
        out = bytearray(count * 16 + 15)
        words = np.frombuffer(out, dtype="<u8", count=count * 2).reshape(count, 2)
        high_size = np.uint64(self.high_size)
        low_size = np.uint64(self.low_size)
        order = range(self.rounds) if forward else reversed(range(self.rounds))
        for i in order:
            blocks[:, 1] = self._tweaks[i]
            part, other, size = (a, b, high_size) if i % 2 == 0 else (b, a, low_size)
            blocks[:, 0] = other
            cipher.update_into(blocks.data.cast("B"), out)
            step = words[:, 0] % size
            if forward:
                part += step
            else:
                # part - step (mod size) without going below zero in unsigned arithmetic
                part += size - step
            part %= size
