"""Where a new campaign folder goes: checked first, written aside, moved in whole.

Both ``new`` and ``clone`` build the campaign in a hidden sibling folder and
rename it into place only when everything succeeded, so a failure never leaves
a half-written campaign behind (a rename within one file system is atomic).
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from campaignctl.errors import UserError
from campaignctl.resources import schema_path

CAMPAIGN_FILE = "campaign.yaml"
ANSWERS_FILE = "campaign.answers.json"
"""The template answers ``new`` keeps next to a campaign (cookiecutter's replay format)."""
_SCHEMA_COMMENT = re.compile(r"^(# yaml-language-server: \$schema=)(\S+)(.*)$")


class FolderNotFree(UserError):
    """The target folder exists and holds something."""


def ensure_free(dest: Path) -> None:
    """Refuse a target that exists and is not an empty folder."""
    if not dest.exists() and not dest.is_symlink():
        return
    if not dest.is_dir() or dest.is_symlink():
        raise FolderNotFree(
            "exists and is not a folder", hint="choose a new folder name", path=dest
        )
    if any(dest.iterdir()):
        raise FolderNotFree(
            "the folder is not empty; nothing was written",
            hint="choose a new folder, or empty this one first",
            path=dest,
        )


@contextmanager
def staged(dest: Path) -> Iterator[Path]:
    """A scratch folder next to ``dest``; moved to ``dest`` if the block succeeds."""
    ensure_free(dest)
    parent = dest.absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    # mkdir, not mkdtemp: the folder becomes the campaign and keeps the usual mode
    scratch = parent / f".{dest.name}.{secrets.token_hex(4)}.partial"
    scratch.mkdir()
    try:
        yield scratch
        ensure_free(dest)  # someone may have written there meanwhile
        if dest.is_dir():
            dest.rmdir()
        scratch.rename(dest)
    finally:
        if scratch.exists():
            shutil.rmtree(scratch, ignore_errors=True)


def point_schema_comment(campaign_file: Path) -> None:
    """Point the editor's ``$schema`` comment at this install's schema file.

    Templates and past campaigns carry a URL or a path relative to where they
    were; the new campaign gets a path relative to where it is now.
    """
    text = campaign_file.read_text(encoding="utf-8")
    first, newline, rest = text.partition("\n")
    match = _SCHEMA_COMMENT.match(first)
    if match is None:
        return
    try:
        target = os.path.relpath(schema_path(), campaign_file.parent.resolve())
    except ValueError:  # another drive on Windows
        target = schema_path().as_uri()
    target = target.replace(os.sep, "/")
    campaign_file.write_text(f"{match[1]}{target}{match[3]}{newline}{rest}", encoding="utf-8")
