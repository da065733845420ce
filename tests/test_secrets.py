"""secret_ref resolution: env:, file: (owner-only), and clear errors for the rest."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from campaignctl.secrets import SecretUnavailable, resolve_secret


def test_env_and_file_secrets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRM_TOKEN", "tok-1\n")
    assert resolve_secret("env:CRM_TOKEN") == "tok-1"
    secret = tmp_path / "secrets" / "bitrix.txt"
    secret.parent.mkdir()
    secret.write_text("7/abc\n")
    secret.chmod(0o600)
    assert resolve_secret("file:secrets/bitrix.txt", base=tmp_path) == "7/abc"


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("env:MISSING_SECRET_X", "MISSING_SECRET_X (from env:MISSING_SECRET_X) is not set"),
        ("file:nope.txt", "cannot read"),
        ("file:open.txt", "readable by others"),
        ("lockbox:e6q/token", "resolved in Yandex Cloud"),
        ("vault:x", "unknown scheme"),
        ("env:", "names no secret"),
    ],
)
def test_unavailable_secrets_say_why(tmp_path: Path, ref: str, message: str) -> None:
    wide = tmp_path / "open.txt"
    wide.write_text("x")
    wide.chmod(0o644)
    with pytest.raises(SecretUnavailable, match=re.escape(message)):
        resolve_secret(ref, base=tmp_path)
