"""The Cloud Functions package: campaignctl's source, its data and the campaign, zipped.

Of the campaign folder only what the functions read goes in, by an allow-list:
``campaign.yaml``, the files it names (consent text, logo, hero image, font,
prize images) and its template overrides (``templates/``). Never the print files
(every one-time code in plain text), reports, archives, draw files, the build or
the state folder, whatever the folder holds. A package above Yandex's limit for
a direct upload (3.5 MB) is refused with its largest entries named.

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

from campaignctl.draws.service import PUBLISHED_DIR
from campaignctl.errors import UserError
from campaignctl.model import Campaign
from campaignctl.reports.build import REPORTS_DIR
from campaignctl.resources import data_dir
from campaignctl.stack.yandex.naming import FUNCTION_ARCHIVE_NAME
from campaignctl.state import STATE_DIR_NAME
from campaignctl.teardown.archive import ARCHIVE_DIR

PACKAGE_ROOT = Path(__file__).resolve().parents[2]
"""The ``campaignctl`` package folder."""
CAMPAIGN_DIR = "campaign"
"""Where the campaign folder sits inside the package; the handler loads it from there."""
# What the functions never need at run time: the deploy tooling and build tools.
_DEPLOY_ONLY = frozenset({"pulumi", "pulumi-yandex", "cookiecutter", "hatchling"})
_SKIP_PARTS = frozenset({"__pycache__", ".campaignctl", "build", "site", ".git"})
_EPOCH = (1980, 1, 1, 0, 0, 0)
TEMPLATE_OVERRIDES = "templates"
URL_SCHEMES = ("https://", "http://")
NEVER_PACKED = frozenset(
    {STATE_DIR_NAME, "print", REPORTS_DIR, ARCHIVE_DIR, PUBLISHED_DIR, "build"}
)
"""Top-level folders of a campaign that hold codes, personal data or outputs."""
DIRECT_UPLOAD_LIMIT = 3_500_000
"""Bytes: the largest function package Yandex Cloud Functions takes without Object Storage."""


class PackageTooLarge(UserError):
    """The function package is over the direct-upload limit."""


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


def campaign_files(campaign: Campaign) -> list[tuple[str, Path]]:
    """The campaign folder's part of the package: (name inside the folder, file), sorted."""
    folder = campaign.folder.resolve()
    branding = campaign.channels.site.branding
    consent = campaign.personal_data.consent_document
    named = [
        # A consent published at a URL is no file of the campaign.
        ("personal_data.consent_document", None if consent.startswith(URL_SCHEMES) else consent),
        ("channels.site.branding.logo", branding.logo),
        ("channels.site.branding.hero_image", branding.hero_image),
        ("channels.site.branding.font", branding.font),
        *((f"prizes[{i}].image", prize.image) for i, prize in enumerate(campaign.prizes)),
    ]
    files = {campaign.source.name: campaign.source.resolve()}
    for field_name, name in named:
        if name is None:
            continue
        path = campaign.asset(name)
        if path is None or not path.is_file():
            raise UserError(
                f"{field_name}: {name!r} is not a file inside the campaign folder",
                hint="run `campaignctl validate`",
                path=campaign.source,
            )
        files[path.relative_to(folder).as_posix()] = path
    overrides = folder / TEMPLATE_OVERRIDES
    if overrides.is_dir():
        for path in _files(overrides):
            files[path.relative_to(folder).as_posix()] = path
    for name in files:
        top = name.split("/")[0]
        if top in NEVER_PACKED:
            raise UserError(
                f"the campaign names {name!r}, under {top}/, which never goes into the "
                "function package",
                hint=f"keep assets out of {', '.join(sorted(NEVER_PACKED))}",
                path=campaign.source,
            )
    return sorted(files.items())


def _entries(campaign: Campaign) -> Iterator[tuple[str, Path]]:
    for path in _files(PACKAGE_ROOT):
        relative = path.relative_to(PACKAGE_ROOT)
        if relative.parts[0] != "_data":
            yield f"campaignctl/{relative.as_posix()}", path
    for name in ("schemas", "templates"):
        folder = data_dir(name)
        for path in _files(folder):
            yield f"campaignctl/_data/{name}/{path.relative_to(folder).as_posix()}", path
    for name, path in campaign_files(campaign):
        yield f"{CAMPAIGN_DIR}/{name}", path


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
        largest = sorted(archive.infolist(), key=lambda i: i.compress_size, reverse=True)[:5]
    size = path.stat().st_size
    if size > DIRECT_UPLOAD_LIMIT:
        path.unlink()
        biggest = ", ".join(f"{i.filename} ({i.compress_size:,} B)" for i in largest)
        raise PackageTooLarge(
            f"the function package is {size:,} bytes, over the {DIRECT_UPLOAD_LIMIT:,} bytes "
            f"Yandex Cloud Functions takes in a direct upload; largest entries: {biggest}",
            hint="make the campaign's images smaller (they also slow the site down)",
            path=campaign.source,
        )
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return FunctionBundle(path, digest, size)
