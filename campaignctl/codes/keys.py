"""The campaign key: 32 random bytes in a 0600 file, never in the database.

Everything secret about codes derives from it with HMAC-SHA256 and a label, so the
permutation key and the hash key for imported codes are independent of each other.
Rotation and loss are described in docs/codes.md.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from pathlib import Path

from campaignctl.codes.errors import KeyInvalid, KeyMissing
from campaignctl.state import state_dir, write_private

KEY_FILE_NAME = "codes.key"
_HEADER = "campaignctl codes key v1"


def key_path(campaign_folder: Path) -> Path:
    return campaign_folder / ".campaignctl" / KEY_FILE_NAME


def load_key(campaign_folder: Path) -> bytes:
    """The campaign key; :class:`KeyMissing` if the file is gone."""
    path = key_path(campaign_folder)
    try:
        text = path.read_text(encoding="ascii")
    except FileNotFoundError:
        raise KeyMissing(
            "the codes key file is missing, but codes of this campaign already exist",
            hint="restore .campaignctl/codes.key from your backup; without it no "
            "issued code can be checked (see docs/codes.md, 'Losing the key')",
            path=path,
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise KeyInvalid(f"cannot read the codes key: {exc}", path=path) from None
    lines = text.split()
    try:
        key = bytes.fromhex(lines[-1]) if lines else b""
    except ValueError:
        key = b""
    if len(key) != 32:
        raise KeyInvalid("the codes key file does not hold a 32-byte hex key", path=path)
    return key


def create_key(campaign_folder: Path) -> bytes:
    """Make a new random key file; refuses to replace an existing one."""
    state_dir(campaign_folder)
    key = secrets.token_bytes(32)
    try:
        write_private(key_path(campaign_folder), f"# {_HEADER}\n{key.hex()}\n".encode("ascii"))
    except FileExistsError:
        return load_key(campaign_folder)
    return key


def subkey(key: bytes, label: str) -> bytes:
    """An independent 32-byte key for one purpose."""
    return hmac.new(key, f"campaignctl/{label}".encode(), hashlib.sha256).digest()


def permutation_key(key: bytes) -> bytes:
    return subkey(key, "codes/permutation/v1")


def hash_key(key: bytes) -> bytes:
    return subkey(key, "codes/imported/v1")
