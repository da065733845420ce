"""Signing of the generic JSON webhook, so the receiver can trust and date each request.

The sender puts two headers on the POST:

- ``X-Campaignctl-Timestamp``: Unix time in seconds when the request was signed;
- ``X-Campaignctl-Signature``: ``sha256=`` + hex HMAC-SHA256 with the shared
  secret over ``timestamp + "." + raw body bytes``.

The receiver recomputes the HMAC over the raw body it got (before parsing it),
compares in constant time and rejects timestamps older than the tolerance, which
stops replays of a captured request.
"""

from __future__ import annotations

import hashlib
import hmac

from campaignctl.errors import CampaignctlError

TIMESTAMP_HEADER = "X-Campaignctl-Timestamp"
SIGNATURE_HEADER = "X-Campaignctl-Signature"
DEFAULT_TOLERANCE_SECONDS = 300


class SignatureInvalid(CampaignctlError):
    """A webhook request whose signature or timestamp does not check out."""


def _digest(secret: bytes, timestamp: int, body: bytes) -> str:
    message = str(timestamp).encode("ascii") + b"." + body
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def sign(secret: bytes, body: bytes, timestamp: int) -> dict[str, str]:
    """Headers to send with ``body``."""
    if not secret:
        raise ValueError("the webhook secret is empty")
    return {
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: f"sha256={_digest(secret, timestamp, body)}",
    }


def verify(
    secret: bytes,
    body: bytes,
    headers: dict[str, str],
    now: int,
    tolerance: int = DEFAULT_TOLERANCE_SECONDS,
) -> None:
    """Raise :class:`SignatureInvalid` unless ``headers`` sign ``body`` within ``tolerance``."""
    lowered = {k.lower(): v for k, v in headers.items()}
    raw_time = lowered.get(TIMESTAMP_HEADER.lower())
    raw_sig = lowered.get(SIGNATURE_HEADER.lower())
    if raw_time is None or raw_sig is None:
        raise SignatureInvalid("signature headers missing")
    if not raw_time.isdigit():
        raise SignatureInvalid("timestamp is not a Unix time")
    timestamp = int(raw_time)
    if abs(now - timestamp) > tolerance:
        raise SignatureInvalid(f"timestamp is {now - timestamp} s away from now")
    expected = f"sha256={_digest(secret, timestamp, body)}"
    if not hmac.compare_digest(expected.encode(), raw_sig.encode()):
        raise SignatureInvalid("signature does not match the body")
