"""The Cloud Functions package: campaignctl's source, its data and the campaign, zipped.

pulumi-yandex 0.13 takes a function's code as ``content.zip_filename`` (a path
to a zip on disk) or as an object in a bucket, not as a Pulumi Archive, so the
package is a zip written reproducibly (sorted entries, fixed timestamps): the
same sources give the same SHA-256, which is the function's ``user_hash``, so
an unchanged campaign deploys no new function version.
"""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, requires
from pathlib import Path

from campaignctl.model import Campaign
from campaignctl.resources import data_dir
from campaignctl.stack.yandex.naming import FUNCTION_ARCHIVE_NAME

PACKAGE_ROOT = Path(__file__).resolve().parents[2]
"""The ``campaignctl`` package folder."""
CAMPAIGN_DIR = "campaign"
"""Where the campaign folder sits inside the package; the handler loads it from there."""
# What the functions never need at run time: the deploy tooling and build tools.
_DEPLOY_ONLY = frozenset({"pulumi", "pulumi-yandex", "cookiecutter", "hatchling"})
_SKIP_PARTS = frozenset({"__pycache__", ".campaignctl", "build", "site", ".git"})
_EPOCH = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class FunctionBundle:
    path: Path
    sha256: str
    size: int


def runtime_requirements() -> list[str]:
    """campaignctl's pinned dependencies minus deploy-only ones: the function's requirements.txt."""
    try:
        declared = requires("campaignctl") or []
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        declared = []
    keep = []
    for requirement in declared:
        if "extra ==" in requirement:
            continue
        name = requirement.split("==")[0].split("[")[0].strip().lower()
        if name not in _DEPLOY_ONLY:
            keep.append(requirement)
    return sorted(keep)


def _files(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if (
            path.is_file()
            and not _SKIP_PARTS.intersection(relative.parts)
            and path.suffix != ".pyc"
        ):
            yield path


def _entries(campaign: Campaign) -> Iterator[tuple[str, Path]]:
    for path in _files(PACKAGE_ROOT):
        relative = path.relative_to(PACKAGE_ROOT)
        if relative.parts[0] != "_data":
            yield f"campaignctl/{relative.as_posix()}", path
    for name in ("schemas", "templates"):
        folder = data_dir(name)
        for path in _files(folder):
            yield f"campaignctl/_data/{name}/{path.relative_to(folder).as_posix()}", path
    for path in _files(campaign.folder):
        yield f"{CAMPAIGN_DIR}/{path.relative_to(campaign.folder).as_posix()}", path


def _write(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=_EPOCH)
    info.external_attr = 0o644 << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, data)


def build_bundle(campaign: Campaign, folder: Path) -> FunctionBundle:
    """Write the function zip into ``folder`` and return its path and SHA-256."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / FUNCTION_ARCHIVE_NAME
    with zipfile.ZipFile(path, "w") as archive:
        for name, source in sorted(_entries(campaign)):
            _write(archive, name, source.read_bytes())
        _write(archive, "requirements.txt", "\n".join(runtime_requirements()).encode() + b"\n")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return FunctionBundle(path, digest, path.stat().st_size)
