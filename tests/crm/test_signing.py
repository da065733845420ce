"""Webhook signatures: valid, tampered, replayed, missing."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from campaignctl.crm import SignatureInvalid, sign, verify
from campaignctl.crm.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER

SECRET = b"s3cret"
BODY = b'{"event":"registration","fields":{"phone":"+79161234567"}}'
NOW = 1_812_345_678


def test_signature_is_hmac_sha256_over_timestamp_and_body() -> None:
    headers = sign(SECRET, BODY, NOW)
    expected = hmac.new(SECRET, f"{NOW}.".encode() + BODY, hashlib.sha256).hexdigest()
    assert headers == {TIMESTAMP_HEADER: str(NOW), SIGNATURE_HEADER: f"sha256={expected}"}
    verify(SECRET, BODY, headers, now=NOW + 10)


def test_header_names_are_case_insensitive() -> None:
    headers = {k.lower(): v for k, v in sign(SECRET, BODY, NOW).items()}
    verify(SECRET, BODY, headers, now=NOW)


@pytest.mark.parametrize(
    ("body", "secret", "now", "message"),
    [
        (BODY + b" ", SECRET, NOW, "does not match"),
        (BODY, b"other", NOW, "does not match"),
        (BODY, SECRET, NOW + 301, "away from now"),
        (BODY, SECRET, NOW - 301, "away from now"),
    ],
)
def test_rejects(body: bytes, secret: bytes, now: int, message: str) -> None:
    with pytest.raises(SignatureInvalid, match=message):
        verify(secret, body, sign(SECRET, BODY, NOW), now=now)


def test_rejects_missing_or_malformed_headers() -> None:
    with pytest.raises(SignatureInvalid, match="missing"):
        verify(SECRET, BODY, {}, now=NOW)
    with pytest.raises(SignatureInvalid, match="Unix time"):
        verify(
            SECRET, BODY, {TIMESTAMP_HEADER: "yesterday", SIGNATURE_HEADER: "sha256=00"}, now=NOW
        )


def test_empty_secret_is_refused() -> None:
    with pytest.raises(ValueError, match="empty"):
        sign(b"", BODY, NOW)
