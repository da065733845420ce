"""Instant-win tiers: which prize, if any, a registration wins.

Two ways, both driven by each prize's ``instant_win_probability``:

- by serial: HMAC of the code's serial under a campaign subkey, read as a
  number in [0, 1), falls into one prize's slice of the cumulative
  probabilities. The outcome of a code is fixed when it is printed, so entering
  it early or late, on the site or by SMS, never changes it, and nobody without
  the key can tell a winning code from its serial;
- at random: a CSPRNG draw per registration (receipts, which have no serial).

Either way the prize is only handed out if a unit is left in stock
(:func:`campaignctl.runtime.stock.claim`) and the person is under the prize's
per-person limit; otherwise the registration is a plain draw entry.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Sequence
from decimal import Decimal

from campaignctl.model.campaign import Campaign
from campaignctl.model.prizes import Prize

_SCALE = 2**64


def instant_prizes(campaign: Campaign) -> tuple[Prize, ...]:
    return tuple(
        p
        for p in campaign.prizes
        if p.award == "instant_win" and p.instant_win_probability is not None
    )


def pick(prizes: Sequence[Prize], fraction: int) -> Prize | None:
    """The prize whose slice holds ``fraction`` (an integer in [0, 2**64)), or None.

    Slices are laid out in the spec's order; their widths are the probabilities,
    computed in exact decimals so 0.0002 is 0.0002 of the space.
    """
    edge = Decimal(0)
    point = Decimal(fraction) / _SCALE
    for prize in prizes:
        edge += Decimal(str(prize.instant_win_probability))
        if point < edge:
            return prize
    return None


def by_serial(prizes: Sequence[Prize], key: bytes, serial: int) -> Prize | None:
    digest = hmac.digest(key, b"instant-win:" + serial.to_bytes(8, "big"), "sha256")
    return pick(prizes, int.from_bytes(digest[:8], "big"))


def at_random(prizes: Sequence[Prize]) -> Prize | None:
    return pick(prizes, secrets.randbits(64))
