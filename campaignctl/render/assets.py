"""The campaign's own files (logo, hero image, prize images, font) as site assets.

Every file is resolved and checked before anything is written, so a vanished
file fails the render up front with the field that names it. Copies keep the
campaign-relative path under ``media/``: the output stays readable and two
renders of the same campaign give the same names.
"""

from __future__ import annotations

import shutil
import struct
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from campaignctl.errors import UserError
from campaignctl.model import Campaign

MEDIA = "media"


class AssetMissing(UserError):
    """A file the campaign names (logo, image, font, consent) is not there."""


@dataclass(frozen=True)
class Asset:
    field: str
    """Dotted path of the campaign field naming the file, e.g. ``prizes[2].image``."""
    name: str
    """The name as written in campaign.yaml, relative to the campaign folder."""
    source: Path
    href: str
    """Where the copy lives, relative to the site root (``media/assets/logo.svg``)."""
    width: int | None = None
    height: int | None = None


def require(campaign: Campaign, field: str, name: str) -> Path:
    """The existing file ``name`` inside the campaign folder, or :class:`AssetMissing`."""
    path = campaign.asset(name)
    if path is None:
        raise AssetMissing(
            f"{field}: {name!r} is not a path inside the campaign folder",
            hint="keep assets inside the campaign folder (run `campaignctl validate`)",
            path=campaign.source,
        )
    if not path.is_file():
        raise AssetMissing(
            f"{field}: file {name!r} not found next to the campaign",
            hint=f"looked for {path}; add the file or fix the name (run `campaignctl validate`)",
            path=campaign.source,
        )
    return path


def collect(campaign: Campaign, field: str, name: str | None) -> Asset | None:
    """Resolve one optional asset; None when the campaign names no file."""
    if name is None:
        return None
    source = require(campaign, field, name)
    relative = source.relative_to(campaign.folder.resolve())
    href = str(PurePosixPath(MEDIA, *relative.parts))
    width, height = _png_size(source)
    return Asset(field=field, name=name, source=source, href=href, width=width, height=height)


def copy(assets: list[Asset], out: Path) -> list[Path]:
    """Copy each asset once (contents only, so output bytes depend on nothing else)."""
    written: dict[str, Path] = {}
    for asset in assets:
        if asset.href in written:
            continue
        target = out / asset.href
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(asset.source, target)
        written[asset.href] = target
    return list(written.values())


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _png_size(path: Path) -> tuple[int | None, int | None]:
    """Width and height of a PNG (read from its IHDR), so the page reserves the space."""
    if path.suffix.lower() != ".png":
        return None, None
    with path.open("rb") as handle:
        head = handle.read(24)
    if len(head) < 24 or not head.startswith(_PNG_SIGNATURE) or head[12:16] != b"IHDR":
        return None, None
    width, height = struct.unpack(">II", head[16:24])
    return int(width), int(height)
