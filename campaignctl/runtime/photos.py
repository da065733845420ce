"""Receipt photos kept for moderation: owner-only files named by registration id."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from campaignctl.runtime.form import Photo

PhotoPut = Callable[[str, bytes], None]
"""Puts a photo's bytes under an object key (the cloud: the reports bucket, ``receipts/*``)."""
RECEIPTS_PREFIX = "receipts"

_TYPES = {
    b"\xff\xd8\xff": ".jpg",
    b"\x89PNG\r\n\x1a\n": ".png",
}


def photo_suffix(data: bytes) -> str | None:
    """The file type by its first bytes (not by the name the browser sent); None if not an image."""
    for magic, suffix in _TYPES.items():
        if data.startswith(magic):
            return suffix
    if data[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1", b"ftyphevc"):
        return ".heic"
    return None


def save_photo(folder: Path, registration_id: str, photo: Photo) -> Path:
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = folder / f"{registration_id}{photo_suffix(photo.data) or '.bin'}"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, photo.data)
    finally:
        os.close(fd)
    return path


def photo_key(registration_id: str, photo: Photo) -> str:
    """The object key of a photo kept in a bucket: ``receipts/<registration id>.<ext>``."""
    return f"{RECEIPTS_PREFIX}/{registration_id}{photo_suffix(photo.data) or '.bin'}"
