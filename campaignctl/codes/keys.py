"""The campaign key ring: 32-byte random keys in a 0600 file, never in the database.

The file holds one key per version, ``v<N> <64 hex digits>`` a line. A batch is
made with the newest key and records its version, so rotating adds a key for
future batches and never changes a code that is already printed. Everything
secret derives from a key with HMAC-SHA256 and a label, so the permutation key and
the hash key for imported codes are independent. Rotation and loss: docs/codes.md.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from pathlib import Path

from campaignctl.codes.errors import KeyInvalid, KeyMissing
from campaignctl.state import state_dir, write_private

KEY_FILE_NAME = "codes.key"
_HEADER = "# campaignctl codes keys: one 'v<version> <hex>' a line; back this file up\n"
_LINE = re.compile(r"(?:v(\d+)\s+)?([0-9a-fA-F]{64})")

KeyRing = dict[int, bytes]


def key_path(campaign_folder: Path) -> Path:
    return campaign_folder / ".campaignctl" / KEY_FILE_NAME


def load_keys(campaign_folder: Path) -> KeyRing:
    """Every key version of the campaign; :class:`KeyMissing` if the file is gone."""
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
    ring: KeyRing = {}
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = _LINE.fullmatch(line)
        if match is None:
            raise KeyInvalid(
                f"line {number} of the codes key file is not 'v<version> <64 hex digits>'",
                path=path,
            )
        version = int(match[1] or 1)
        if version in ring:
            raise KeyInvalid(f"key version {version} appears twice", path=path)
        ring[version] = bytes.fromhex(match[2])
    if not ring:
        raise KeyInvalid("the codes key file does not hold a 32-byte hex key", path=path)
    return ring


def _render(ring: KeyRing) -> bytes:
    lines = "".join(f"v{v} {key.hex()}\n" for v, key in sorted(ring.items()))
    return (_HEADER + lines).encode("ascii")


def create_keys(campaign_folder: Path) -> KeyRing:
    """Make a key file with one random key (version 1); an existing file is kept."""
    state_dir(campaign_folder)
    ring = {1: secrets.token_bytes(32)}
    try:
        write_private(key_path(campaign_folder), _render(ring))
    except FileExistsError:
        return load_keys(campaign_folder)
    return ring


def rotate_keys(campaign_folder: Path) -> int:
    """Add a new random key version for future batches; returns its number.

    The new file is written beside the old one and renamed over it, so a crash
    leaves either the old or the new ring, never a truncated file.
    """
    ring = load_keys(campaign_folder)
    version = max(ring) + 1
    ring[version] = secrets.token_bytes(32)
    path = key_path(campaign_folder)
    fresh = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    write_private(fresh, _render(ring))
    fresh.replace(path)
    return version


def subkey(key: bytes, label: str) -> bytes:
    """An independent 32-byte key for one purpose."""
    return hmac.new(key, f"campaignctl/{label}".encode(), hashlib.sha256).digest()


def permutation_key(key: bytes) -> bytes:
    return subkey(key, "codes/permutation/v1")


def hash_key(key: bytes) -> bytes:
    return subkey(key, "codes/imported/v1")
