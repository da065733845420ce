"""Keyed codes: serial number <-> code string, with only the campaign key.

A code is the keyed permutation of its serial, written as ``length`` characters
of the alphabet (high part first), optionally followed by one check character.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from campaignctl.codes.alphabet import Alphabet
from campaignctl.codes.check import CheckCharacter
from campaignctl.codes.permutation import KeyedPermutation, Words
from campaignctl.model.codes import CodesSpec

Chars = npt.NDArray[np.uint8]
DecodeFailure = Literal["malformed", "typo"]


@dataclass(frozen=True)
class Decoded:
    """What a string is, as far as the key alone can tell."""

    text: str
    """The normalised input."""
    serial: int | None
    """The serial the string decrypts to; None when it is malformed or a typo."""
    failure: DecodeFailure | None = None


class KeyedCodec:
    def __init__(
        self, key: bytes, alphabet: str, length: int, *, check_character: bool = True
    ) -> None:
        self.alphabet = Alphabet(alphabet)
        self.length = length
        self.permutation = KeyedPermutation(key, self.alphabet.size, length)
        self.check = CheckCharacter(self.alphabet.size) if check_character else None
        self.width = length + (1 if check_character else 0)
        """Characters in a code, check character included, without group separators."""

    @classmethod
    def for_spec(cls, key: bytes, spec: CodesSpec) -> KeyedCodec:
        return cls(key, spec.alphabet, spec.length, check_character=spec.check_character)

    @property
    def space(self) -> int:
        return self.permutation.size

    # -- one code ---------------------------------------------------------------

    def encode(self, serial: int) -> str:
        high, low = self.permutation.encrypt(serial)
        p = self.permutation
        digits = _to_digits(high, self.alphabet.size, p.high_digits)
        digits += _to_digits(low, self.alphabet.size, p.low_digits)
        if self.check is not None:
            digits.append(self.check.compute(digits))
        return self.alphabet.spell(digits)

    def decode(self, text: str) -> Decoded:
        """Normalise ``text`` and decrypt it to a serial, or say why it cannot be a code."""
        norm = self.alphabet.normalise(text)
        if len(norm) != self.width:
            return Decoded(norm, None, "malformed")
        digits = self.alphabet.digits(norm)
        if digits is None:
            return Decoded(norm, None, "malformed")
        if self.check is not None and not self.check.verify(digits):
            return Decoded(norm, None, "typo")
        p = self.permutation
        radix = self.alphabet.size
        high = 0
        for d in digits[: p.high_digits]:
            high = high * radix + d
        low = 0
        for d in digits[p.high_digits : self.length]:
            low = low * radix + d
        return Decoded(norm, p.decrypt(high, low))

    # -- many codes -------------------------------------------------------------

    def encode_range(self, first: int, count: int) -> Chars:
        """ASCII bytes of codes ``first .. first+count-1``, shape (count, width)."""
        high, low = self.permutation.encrypt_range(first, count)
        p = self.permutation
        digits = np.empty((count, self.width), dtype=np.uint8)
        radix = np.uint64(self.alphabet.size)
        _fill_digits(digits[:, : p.high_digits], high, radix)
        _fill_digits(digits[:, p.high_digits : self.length], low, radix)
        if self.check is not None:
            digits[:, self.length] = self.check.compute_many(digits[:, : self.length])
        chars: Chars = self.alphabet.table[digits]
        return chars

    def decode_many(self, chars: Chars) -> tuple[Words, npt.NDArray[np.bool_]]:
        """Serials of an (n, width) array of normalised ASCII codes, and which passed.

        A row fails when a character is outside the alphabet or the check character
        does not match; its serial is then meaningless.
        """
        lookup = np.full(256, 255, dtype=np.uint8)
        lookup[self.alphabet.table] = np.arange(self.alphabet.size, dtype=np.uint8)
        digits = lookup[chars]
        ok = np.all(digits != 255, axis=1)
        digits[~ok] = 0
        if self.check is not None:
            ok &= self.check.compute_many(digits[:, : self.length]) == digits[:, self.length]
        p = self.permutation
        radix = np.uint64(self.alphabet.size)
        high = np.zeros(chars.shape[0], dtype=np.uint64)
        for column in range(p.high_digits):
            high = high * radix + digits[:, column]
        low = np.zeros(chars.shape[0], dtype=np.uint64)
        for column in range(p.high_digits, self.length):
            low = low * radix + digits[:, column]
        return p.decrypt_many(high, low), ok


def _to_digits(value: int, radix: int, count: int) -> list[int]:
    out = [0] * count
    for i in range(count - 1, -1, -1):
        value, out[i] = divmod(value, radix)
    return out


def _fill_digits(target: Chars, values: Words, radix: np.uint64) -> None:
    """Write base-``radix`` digits of ``values`` into the columns of ``target``, high first."""
    rest = values.copy()
    for column in range(target.shape[1] - 1, -1, -1):
        rest, digit = np.divmod(rest, radix)
        target[:, column] = digit
