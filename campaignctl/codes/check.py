"""The check character: tells a mistyped code from a guessed one, without the key.

The default is the Damm algorithm over the code's own alphabet. Damm needs a
totally anti-symmetric quasigroup ``*`` of the alphabet's order N: a Latin square
with ``(c*x)*y == (c*y)*x  =>  x == y``. Folding a code through it detects every
single-character substitution (a Latin square row is a permutation) and every
swap of two adjacent characters (total anti-symmetry), the check character included.

Such quasigroups exist for every order except 2 and 6 (Damm, 2007); we build the
ones with a short proof:

* N odd: ``x*y = 2x + y (mod N)``. ``(c*x)*y - (c*y)*x = (2 - 1)(x - y)`` and 2 is
  invertible mod an odd N.
* N a power of two ``2**k``, k >= 2: ``x*y = a.x + y`` in the field GF(2**k) with
  ``a`` the field generator: ``a`` and ``a + 1`` are non-zero, hence invertible.
* N = ``2**k * m`` with k >= 2 and m odd: the direct product of the two above
  (a product of totally anti-symmetric quasigroups is one, coordinate by coordinate).
* N = 10: Damm's published decimal table.

That leaves N = 14, 18, 22, ... (2 mod 4, not 10), which use Luhn mod N: it also
detects every substitution, and every adjacent swap except the pair formed by the
first and the last character of the alphabet (like 09 <-> 90 in card numbers).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt

Digits = npt.NDArray[np.uint8]
Method = Literal["damm", "luhn"]

_DAMM_10 = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)

# Irreducible polynomials over GF(2), degree k -> bit mask including x**k.
_IRREDUCIBLE = {2: 0b111, 3: 0b1011, 4: 0b10011, 5: 0b100101, 6: 0b1000011, 7: 0b10000011}


def _gf_times_generator(u: int, k: int) -> int:
    u <<= 1
    if u >> k:
        u ^= _IRREDUCIBLE[k]
    return u


def quasigroup(n: int) -> npt.NDArray[np.int64] | None:
    """A totally anti-symmetric quasigroup of order ``n`` as an n x n table, or None."""
    if n == 10:
        return np.array(_DAMM_10, dtype=np.int64)
    k = (n & -n).bit_length() - 1  # n = 2**k * m, m odd
    m = n >> k
    if k == 1 or k > max(_IRREDUCIBLE) or n < 3:
        return None
    x = np.arange(n).reshape(n, 1)
    y = np.arange(n).reshape(1, n)
    if k == 0:
        return np.asarray((2 * x + y) % n, dtype=np.int64)
    low = 1 << k
    times_a = np.array([_gf_times_generator(u, k) for u in range(low)], dtype=np.int64)
    gf = times_a[x % low] ^ (y % low)
    odd = (2 * (x // low) + (y // low)) % m
    return np.asarray(odd * low + gf, dtype=np.int64)


class CheckCharacter:
    """Computes and verifies the check digit of payloads written in base ``size``."""

    def __init__(self, size: int) -> None:
        self.size = size
        table = quasigroup(size)
        self.method: Method = "damm" if table is not None else "luhn"
        if table is not None:
            self._table = table
            self._flat: npt.NDArray[np.int64] = table.reshape(-1)
            # solve[c] is the digit d with table[c, d] == 0: the check digit after interim c.
            self._solve: npt.NDArray[np.int64] = np.argmin(table, axis=1).astype(np.int64)
            self._rows = [list(map(int, row)) for row in table]
        # Luhn: the doubled digit, its base-N digit sum (2x, or 2x - N + 1 past N).
        double = np.arange(size) * 2
        self._double = np.where(double >= size, double - size + 1, double).astype(np.int64)

    def compute(self, digits: list[int]) -> int:
        if self.method == "damm":
            interim = 0
            rows = self._rows
            for d in digits:
                interim = rows[interim][d]
            return int(self._solve[interim])
        return (-self._luhn_sum(digits, start_doubled=True)) % self.size

    def verify(self, digits: list[int]) -> bool:
        """Payload followed by its check digit."""
        if self.method == "damm":
            interim = 0
            rows = self._rows
            for d in digits:
                interim = rows[interim][d]
            return interim == 0
        return self._luhn_sum(digits, start_doubled=False) % self.size == 0

    def _luhn_sum(self, digits: list[int], *, start_doubled: bool) -> int:
        total = 0
        doubled = start_doubled
        for d in reversed(digits):
            total += int(self._double[d]) if doubled else d
            doubled = not doubled
        return total

    def compute_many(self, digits: Digits) -> Digits:
        """Check digits for each row of an (n, length) array of payload digits."""
        if self.method == "damm":
            interim = np.zeros(digits.shape[0], dtype=np.int64)
            for column in range(digits.shape[1]):
                interim = self._flat[interim * self.size + digits[:, column]]
            checks: Digits = self._solve[interim].astype(np.uint8)
            return checks
        length = digits.shape[1]
        total = np.zeros(digits.shape[0], dtype=np.int64)
        for column in range(length):
            values = digits[:, column].astype(np.int64)
            if (length - 1 - column) % 2 == 0:
                values = self._double[values]
            total += values
        return ((-total) % self.size).astype(np.uint8)
