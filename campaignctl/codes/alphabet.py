"""The characters codes are written in: normalising what people type, grouping for print."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

# What a participant may type instead of a Latin capital: Cyrillic letters that look
# the same (Russian keyboards), mapped to their Latin twin.
_CYRILLIC_TWINS = {
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O",
    "Р": "P", "С": "C", "Т": "T", "Х": "X", "У": "Y", "З": "3",
}  # fmt: skip

# Look-alike pairs: when the alphabet holds exactly one of a pair, the other is read
# as that one (a digits-only code typed with "O" meant "0"). When it holds both, or
# neither (the default alphabet has no 0, O, 1, I), nothing is mapped: guessing
# would turn a typo into a different, possibly valid, code.
_LOOKALIKE_GROUPS = ("0O", "1I", "2Z", "5S", "8B")

# Separators people put between groups, or that print and copy-paste add.
SEPARATORS = " -_.\t\u00a0\u2010\u2011\u2012\u2013\u2014\u2212"


class Alphabet:
    """An ordered set of characters; a character's index is its digit value."""

    def __init__(self, chars: str) -> None:
        if len(set(chars)) != len(chars) or len(chars) < 2:
            raise ValueError(f"alphabet {chars!r} must have at least 2 distinct characters")
        if not chars.isascii() or chars != chars.upper():
            raise ValueError(f"alphabet {chars!r} must be ASCII capitals and digits")
        self.chars = chars
        self.size = len(chars)
        self.index = {ch: i for i, ch in enumerate(chars)}
        self.table: npt.NDArray[np.uint8] = np.frombuffer(chars.encode("ascii"), dtype=np.uint8)
        """Digit value -> ASCII byte, for vectorised encoding."""
        self._translate = str.maketrans(self._mapping())

    def _mapping(self) -> dict[str, str | None]:
        mapping: dict[str, str | None] = dict.fromkeys(SEPARATORS)
        for cyrillic, latin in _CYRILLIC_TWINS.items():
            mapping[cyrillic] = latin
        for group in _LOOKALIKE_GROUPS:
            present = [ch for ch in group if ch in self.index]
            if len(present) != 1:
                continue
            for ch in group:
                if ch != present[0]:
                    mapping[ch] = present[0]
        # A Cyrillic twin whose Latin letter is itself a look-alike follows it (О -> O -> 0).
        for key, value in list(mapping.items()):
            if value is not None and value not in self.index and value in mapping:
                mapping[key] = mapping[value]
        return mapping

    def normalise(self, text: str) -> str:
        """What the participant meant: upper-cased, separators dropped, look-alikes mapped.

        The result may still hold characters outside the alphabet; :meth:`digits`
        reports them.
        """
        return text.strip().upper().translate(self._translate)

    def digits(self, text: str) -> list[int] | None:
        """Digit values of an already normalised string, or None if a character is foreign."""
        index = self.index
        try:
            return [index[ch] for ch in text]
        except KeyError:
            return None

    def spell(self, digits: list[int]) -> str:
        return "".join(self.chars[d] for d in digits)


def group(code: str, size: int, separator: str = "-") -> str:
    """``ABCDEFGHJK`` -> ``ABCD-EFGH-JK`` for size 4; size 0 leaves the code as it is."""
    if size <= 0:
        return code
    return separator.join(code[i : i + size] for i in range(0, len(code), size))
