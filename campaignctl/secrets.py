"""Resolve a spec's ``secret_ref`` to the secret itself, at the moment it is needed.

The spec never holds a secret, only where it is kept:

- ``env:NAME``: the environment variable ``NAME``;
- ``file:PATH``: a file (relative paths from the campaign folder) that only its
  owner may read: a group- or world-readable file is refused, as ssh does;
- ``lockbox:`` and ``kms:`` are resolved by the cloud stack, not on this machine.

Trailing newlines are dropped (``echo token > file`` is the common way to make one).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from campaignctl.errors import UserError


class SecretUnavailable(UserError):
    """A referenced secret that cannot be read here."""


def resolve_secret(ref: str, *, base: Path | None = None) -> str:
    """The secret ``ref`` points to; :class:`SecretUnavailable` when it cannot be read."""
    scheme, _, name = ref.partition(":")
    if not name:
        raise SecretUnavailable(
            f"secret reference {ref!r} names no secret", hint="write env:NAME or file:PATH"
        )
    match scheme:
        case "env":
            text = os.environ.get(name)
            if text is None or not text.strip():
                raise SecretUnavailable(
                    f"environment variable {name} (from {ref}) is not set",
                    hint=f"export {name}=... before starting campaignctl",
                )
            return text.strip()
        case "file":
            return _read_file(ref, Path(name) if base is None else base / name)
        case "lockbox" | "kms":
            raise SecretUnavailable(
                f"{ref}: {scheme} secrets are resolved in Yandex Cloud, not on this machine",
                hint="use env: or file: for the local target",
            )
        case _:
            raise SecretUnavailable(
                f"secret reference {ref!r} has an unknown scheme {scheme!r}",
                hint="write env:NAME or file:PATH",
            )


def _read_file(ref: str, path: Path) -> str:
    try:
        info = path.stat()
    except OSError as exc:
        raise SecretUnavailable(f"{ref}: cannot read {path}: {exc.strerror}") from None
    if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise SecretUnavailable(
            f"{ref}: {path} is readable by others (mode {stat.S_IMODE(info.st_mode):o})",
            hint=f"chmod 600 {path}",
        )
    text = path.read_text(encoding="utf-8").strip()
    if not text:
        raise SecretUnavailable(f"{ref}: {path} is empty")
    return text
