"""How many SMS segments a text takes (3GPP TS 23.038 / 23.040).

A text that fits the GSM-7 alphabet (basic table plus the extension table,
whose characters take two septets) is sent in 7-bit: 160 septets in one SMS,
153 per part of a concatenated SMS (the user data header takes 7). Anything
else, Cyrillic included, goes as UCS-2: 70 UTF-16 code units in one SMS, 67
per part. A part never splits an escape pair or a surrogate pair, so a
character that does not fit the rest of a part moves to the next one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Encoding = Literal["GSM-7", "UCS-2"]

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")

# (single message, one part of a concatenated message), in encoding units.
LIMITS: dict[Encoding, tuple[int, int]] = {"GSM-7": (160, 153), "UCS-2": (70, 67)}


@dataclass(frozen=True)
class Segments:
    """The cost of one text as an SMS."""

    encoding: Encoding
    characters: int
    """Characters as a reader counts them (code points)."""
    units: int
    """Septets (GSM-7) or UTF-16 code units (UCS-2)."""
    parts: int

    @property
    def single_limit(self) -> int:
        return LIMITS[self.encoding][0]

    @property
    def part_limit(self) -> int:
        return LIMITS[self.encoding][1]

    def as_json(self) -> dict[str, object]:
        return {
            "encoding": self.encoding,
            "characters": self.characters,
            "units": self.units,
            "segments": self.parts,
        }


def encoding_of(text: str) -> Encoding:
    allowed = GSM7_BASIC | GSM7_EXTENSION
    return "GSM-7" if all(ch in allowed for ch in text) else "UCS-2"


def _unit_sizes(text: str, encoding: Encoding) -> list[int]:
    if encoding == "GSM-7":
        return [2 if ch in GSM7_EXTENSION else 1 for ch in text]
    return [2 if ord(ch) > 0xFFFF else 1 for ch in text]


def count(text: str) -> Segments:
    """Encoding, length and number of SMS parts of ``text`` (an empty text is one SMS)."""
    encoding = encoding_of(text)
    sizes = _unit_sizes(text, encoding)
    units = sum(sizes)
    single, part = LIMITS[encoding]
    if units <= single:
        return Segments(encoding, len(text), units, 1)
    parts, used = 1, 0
    for size in sizes:
        if used + size > part:
            parts, used = parts + 1, 0
        used += size
    return Segments(encoding, len(text), units, parts)
