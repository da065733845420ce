"""Which files of a past campaign a clone takes, and which it must never take.

An allow-list: the spec, the ``assets/`` folder, top-level documents and the
files the spec names (logo, prize pictures, consent text). Inside those, the
deny-list still wins: state, keys, databases, print files, code lists and
personal-data exports never leave the past campaign's folder, and symlinks are
not followed (one could point at a key file).
"""

from __future__ import annotations

import fnmatch
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from campaignctl.scaffold.folder import ANSWERS_FILE, CAMPAIGN_FILE

ASSETS = "assets"
DOCUMENT_SUFFIXES = (".md", ".txt", ".html", ".htm", ".pdf", ".docx", ".odt")

# (pattern, why): matched against every part of the relative path.
NEVER: tuple[tuple[str, str], ...] = (
    (".campaignctl", "campaign state: code key, database, secrets"),
    ("secrets", "secrets"),
    ("build", "build output and print files"),
    ("print", "print files"),
    ("exports", "exports with personal data"),
    ("reports", "reports with participants' data"),
    ("archive", "archives of the past campaign"),
    (".git", "version control data"),
    ("*.csv", "code lists, print files or exports"),
    ("*.tsv", "code lists or exports"),
    ("*.xls", "exports with personal data"),
    ("*.xlsx", "exports with personal data"),
    ("*.db", "a database"),
    ("*.sqlite", "a database"),
    ("*.sqlite3", "a database"),
    ("*-journal", "a database journal"),
    ("*-wal", "a database journal"),
    ("*-shm", "a database journal"),
    ("*.key", "a key file"),
    ("*.pem", "a key or certificate"),
    ("*.p12", "a key store"),
    ("*.pfx", "a key store"),
    ("*.env", "environment secrets"),
    (".env*", "environment secrets"),
    ("*.log", "logs may hold personal data"),
    ("*.zip", "an archive"),
    (ANSWERS_FILE, "the past campaign's template answers (old dates and id)"),
)


@dataclass(frozen=True)
class Skipped:
    path: str
    reason: str


@dataclass(frozen=True)
class Selection:
    files: tuple[str, ...]
    """Relative POSIX paths to copy."""
    skipped: tuple[Skipped, ...]


def _denied(relative: PurePosixPath) -> str | None:
    for part in relative.parts:
        for pattern, why in NEVER:
            if fnmatch.fnmatch(part.lower(), pattern):
                return why
    return None


def select(source: Path, referenced: Iterable[str]) -> Selection:
    """Files of ``source`` a clone takes; the rest with the reason it stays behind."""
    wanted = {PurePosixPath(CAMPAIGN_FILE)}
    for name in referenced:
        path = PurePosixPath(name)
        if name.strip() and not path.is_absolute() and ".." not in path.parts:
            wanted.add(path)
    files: list[str] = []
    skipped: list[Skipped] = []
    pending = [source]
    while pending:
        folder = pending.pop()
        for entry in sorted(folder.iterdir(), reverse=True):
            relative = PurePosixPath(entry.relative_to(source).as_posix())
            is_dir = entry.is_dir() and not entry.is_symlink()
            why = _denied(relative)
            if why is None and entry.is_symlink():
                why = "a symlink (not followed)"
            if why is None and is_dir:
                inside = relative.parts[0] == ASSETS or any(
                    w.is_relative_to(relative) for w in wanted
                )
                if inside:
                    pending.append(entry)  # pruned otherwise: never walk state or print folders
                    continue
                why = "not part of the spec or its assets"
            if why is None and not entry.is_file():
                why = "not a regular file"
            if why is None and not (
                relative in wanted
                or relative.parts[0] == ASSETS
                or (len(relative.parts) == 1 and relative.suffix.lower() in DOCUMENT_SUFFIXES)
            ):
                why = "not part of the spec or its assets"
            if why is None:
                files.append(str(relative))
            else:
                skipped.append(Skipped(f"{relative}/" if is_dir else str(relative), why))
    return Selection(tuple(sorted(files)), tuple(sorted(skipped, key=lambda s: s.path)))


def copy_selected(source: Path, dest: Path, selection: Selection) -> None:
    for name in selection.files:
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / name, target)  # contents only: no owner, no ACLs
