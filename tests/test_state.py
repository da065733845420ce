from __future__ import annotations

from pathlib import Path

import pytest

from campaignctl.state import DATABASE_URL_ENV, database_url, state_dir, write_private


def test_state_dir_is_private_and_ignored(tmp_path: Path) -> None:
    (tmp_path / ".campaignctl").mkdir(mode=0o755)
    folder = state_dir(tmp_path)
    assert folder.stat().st_mode & 0o777 == 0o700
    assert (folder / ".gitignore").read_text().splitlines()[-1] == "*"


def test_state_dir_without_create(tmp_path: Path) -> None:
    assert not state_dir(tmp_path, create=False).exists()


def test_write_private_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "secret"
    write_private(path, b"one")
    assert path.stat().st_mode & 0o777 == 0o600
    with pytest.raises(FileExistsError):
        write_private(path, b"two")
    assert path.read_bytes() == b"one"


def test_database_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(DATABASE_URL_ENV, raising=False)
    assert database_url(tmp_path) == f"sqlite:///{tmp_path / '.campaignctl' / 'state.db'}"
    monkeypatch.setenv(DATABASE_URL_ENV, "postgresql+psycopg://u@h/db")
    assert database_url(tmp_path) == "postgresql+psycopg://u@h/db"
