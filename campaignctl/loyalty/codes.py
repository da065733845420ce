"""Voucher codes: short, keyed, unguessable, with a check character for typos at the till.

A voucher is ``XXXXX-XXXXX``: nine characters from HMAC-SHA256(campaign key,
member id and attempt) in a 31-letter alphabet without look-alikes (no 0/O,
1/I/L), so 9·log2(31) ≈ 44.6 bits, plus one check character (a weighted sum mod
31: any single mistyped character and any swap of two neighbours is caught).
With 6,000 vouchers live, a random guess hits one with odds of about 6,000/2^44.6
≈ 2.3·10⁻¹⁰. The database keeps only a keyed hash of each code: a leaked
database hands out no gifts. The code itself is recomputed from the key when it
is sent.
"""

from __future__ import annotations

import hmac

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
BODY = 9
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
_CYRILLIC = str.maketrans("АВЕКМНОРСТУХ", "ABEKMHOPCTYX")


def _check(body: str) -> str:
    return ALPHABET[sum((i + 1) * _VALUE[c] for i, c in enumerate(body)) % len(ALPHABET)]


def voucher_code(key: bytes, member_id: int, attempt: int = 0) -> str:
    """The voucher of ``member_id`` (``attempt`` > 0 only after a collision), as printed."""
    digest = hmac.digest(key, f"voucher:{member_id}:{attempt}".encode(), "sha256")
    number = int.from_bytes(digest[:12], "big")
    chars = []
    for _ in range(BODY):
        number, index = divmod(number, len(ALPHABET))
        chars.append(ALPHABET[index])
    body = "".join(chars)
    code = body + _check(body)
    return f"{code[:5]}-{code[5:]}"


def normalise(text: str) -> str | None:
    """What a cashier typed → the canonical ``XXXXX-XXXXX``; None if it cannot be a voucher.

    Case, spaces, dashes and Cyrillic look-alike letters are forgiven.
    """
    raw = "".join(ch for ch in text.upper().translate(_CYRILLIC) if ch.isalnum())
    if len(raw) != BODY + 1 or any(ch not in _VALUE for ch in raw):
        return None
    if _check(raw[:BODY]) != raw[BODY]:
        return None
    return f"{raw[:5]}-{raw[5:]}"


def voucher_hash(key: bytes, code: str) -> str:
    """What the database stores: 32 hex digits of a keyed hash of the canonical code."""
    return hmac.digest(key, f"voucher-code:{code}".encode(), "sha256").hex()[:32]
