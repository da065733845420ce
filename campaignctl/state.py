"""The campaign state folder: ``<campaign dir>/.campaignctl/``, private to its owner.

It holds what must never be committed or shared: the codes key (0600) and, on the
local target, the SQLite state database (0600). The folder is created 0700 with a
``.gitignore`` that ignores everything in it.
"""

from __future__ import annotations

import os
from pathlib import Path

STATE_DIR_NAME = ".campaignctl"
DATABASE_URL_ENV = "CAMPAIGNCTL_DATABASE_URL"
"""Overrides the local SQLite file, e.g. ``postgresql+psycopg://user@host/db``."""


def state_dir(campaign_folder: Path, *, create: bool = True) -> Path:
    """The state folder of the campaign in ``campaign_folder``, created 0700 if asked."""
    folder = campaign_folder / STATE_DIR_NAME
    if create:
        folder.mkdir(mode=0o700, exist_ok=True)
        folder.chmod(0o700)  # mkdir honours the umask; an existing folder may be wider
        ignore = folder / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# campaignctl state: keys and databases, never commit\n*\n")
    return folder


def write_private(path: Path, data: bytes) -> None:
    """Create ``path`` with mode 0600 and ``data``; refuse to overwrite an existing file."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


def database_url(campaign_folder: Path) -> str:
    """Where the state database lives: the environment override, else a local SQLite file."""
    url = os.environ.get(DATABASE_URL_ENV)
    if url:
        return url
    return f"sqlite:///{state_dir(campaign_folder) / 'state.db'}"
