"""Render every output of a campaign into its build folder, all or nothing.

Everything is written into a staging folder next to the destination; only when
every part succeeded does the staging folder replace the destination (two
renames on the same file system). A failure leaves the previous build as it
was and no half-written folder that looks complete. ``BUILD.json`` lists every
file with its SHA-256, so a reviewer can tell two builds apart at a glance.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args

from campaignctl.crm.document import write_mapping
from campaignctl.errors import UserError
from campaignctl.model import Campaign
from campaignctl.render.pos import render_pos
from campaignctl.render.rules import render_rules, rules_fragment
from campaignctl.render.site import render_site
from campaignctl.render.texts import render_texts

Part = Literal["site", "rules", "pos", "crm", "texts"]
PARTS: tuple[Part, ...] = get_args(Part)
MANIFEST = "BUILD.json"


class OutputUnwritable(UserError):
    """The output folder cannot be created or written."""


class OutputNotOurs(UserError):
    """The output folder holds files campaignctl did not write; it is never replaced."""


@dataclass(frozen=True)
class Written:
    part: str
    path: Path
    """Relative to the output folder."""
    size: int
    sha256: str


def default_out(campaign: Campaign) -> Path:
    return campaign.folder / "build"


def _renderers(campaign: Campaign, api_base: str) -> dict[Part, Callable[[Path], list[Path]]]:
    return {
        "site": lambda out: render_site(
            campaign, out, api_base=api_base, rules_fragment=rules_fragment(campaign)
        ),
        "rules": lambda out: render_rules(campaign, out),
        "pos": lambda out: render_pos(campaign, out),
        "crm": lambda out: write_mapping(campaign, out),
        "texts": lambda out: render_texts(campaign, out),
    }


def _check_destination(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise OutputUnwritable(f"output folder {out} exists and is not a folder", path=out)
    if out.is_dir() and any(out.iterdir()) and not (out / MANIFEST).is_file():
        raise OutputNotOurs(
            f"output folder {out} is not empty and was not written by campaignctl render",
            hint=f"choose an empty or new folder with --out (a build folder has {MANIFEST})",
            path=out,
        )


def _staging(out: Path) -> Path:
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
        staging.chmod(0o755)
    except OSError as exc:
        raise OutputUnwritable(
            f"cannot write the output folder {out}: {exc.strerror or exc}",
            hint="choose a writable folder with --out",
            path=out,
        ) from None
    return staging


def _manifest(campaign: Campaign, root: Path) -> list[Written]:
    written = []
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.name != MANIFEST):
        data = path.read_bytes()
        relative = path.relative_to(root)
        written.append(
            Written(relative.parts[0], relative, len(data), hashlib.sha256(data).hexdigest())
        )
    document = {
        "campaign": campaign.slug,
        "generator": "campaignctl render",
        "files": [
            {"path": w.path.as_posix(), "bytes": w.size, "sha256": w.sha256} for w in written
        ],
    }
    (root / MANIFEST).write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return written


def _swap(staging: Path, out: Path) -> None:
    old = None
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        old.rmdir()
        out.rename(old)
    try:
        staging.rename(out)
    except OSError:
        if old is not None:
            old.rename(out)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def render(
    campaign: Campaign,
    out: Path | None = None,
    *,
    api_base: str = "",
    only: Sequence[Part] = PARTS,
) -> list[Written]:
    """Render ``only`` (default: every part) into ``out`` (default: ``<campaign>/build``).

    Parts not rendered this time are kept from the previous build. Returns every
    file of the resulting build folder.
    """
    out = out if out is not None else default_out(campaign)
    _check_destination(out)
    staging = _staging(out)
    try:
        renderers = _renderers(campaign, api_base)
        for part in PARTS:
            if part in only:
                renderers[part](staging / part)
            elif (out / part).is_dir():
                shutil.copytree(out / part, staging / part)
        written = _manifest(campaign, staging)
        _swap(staging, out)
    except OSError as exc:
        raise OutputUnwritable(
            f"cannot write the output folder {out}: {exc.strerror or exc}", path=out
        ) from None
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return written
