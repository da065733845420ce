"""Russian mobile numbers: whatever people type, normalised to E.164 (+79XXXXXXXXX)."""

from __future__ import annotations

import re

_NOISE = re.compile(r"[\s\-()\u00a0.]")


def normalise_phone(text: str) -> str | None:
    """``+7 900 123-45-67``, ``89001234567``, ``9001234567`` → ``+79001234567``; None if not a Russian mobile."""
    raw = _NOISE.sub("", text.strip())
    if raw.startswith("+"):
        raw = raw[1:]
        if not raw.startswith("7"):
            return None
    if not raw.isascii() or not raw.isdigit():
        return None
    if len(raw) == 11 and raw[0] in "78":
        raw = raw[1:]
    if len(raw) != 10 or raw[0] != "9":
        return None
    return "+7" + raw


def mask_phone(phone: str) -> str:
    """``+79001234567`` → ``+7 *** ***-45-67``: enough to recognise oneself, not to call."""
    return f"+7 *** ***-{phone[-4:-2]}-{phone[-2:]}"
