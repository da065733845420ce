"""`campaignctl down` refuses, asks and archives before it destroys (no server here)."""

from __future__ import annotations

import tarfile
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect
from typer.testing import CliRunner

from campaignctl.cli.main import app
from campaignctl.reports.build import report
from campaignctl.stack.yandex.cost import CloudEstimate, CostItem, Traffic
from campaignctl.stack.yandex.leftovers import Leftover
from campaignctl.stack.yandex.takedown import YandexTakedown
from campaignctl.teardown.archive import check_archive
from tests.draws.seeding import Seeder, drawn_bottle_caps
from tests.store.conftest import mariadb_url


@pytest.fixture
def drawn(tmp_path: Path) -> Seeder:
    seeder = drawn_bottle_caps(tmp_path)
    seeder.engine.dispose()
    return seeder


def _state_files(seeder: Seeder) -> set[str]:
    return {p.name for p in (seeder.campaign.folder / ".campaignctl").iterdir()}


def test_without_a_final_report_down_refuses_and_changes_nothing(
    runner: CliRunner, drawn: Seeder
) -> None:
    spec = str(drawn.campaign.source)
    before = _state_files(drawn)
    for args in ([], ["--yes"]):
        result = runner.invoke(app, ["down", spec, *args])
        assert result.exit_code == 1
        assert "no final report" in result.output and "--force" in result.output
    assert _state_files(drawn) == before and "state.db" in before
    assert not (drawn.campaign.folder / "archive").exists()


def test_force_needs_a_confirmation_too(runner: CliRunner, drawn: Seeder) -> None:
    spec = str(drawn.campaign.source)
    result = runner.invoke(app, ["down", spec, "--force"])
    assert result.exit_code == 1 and "pass --yes" in result.output
    assert "state.db" in _state_files(drawn)
    assert not (drawn.campaign.folder / "archive").exists()


def test_forced_down_archives_then_destroys(runner: CliRunner, drawn: Seeder) -> None:
    result = runner.invoke(app, ["down", str(drawn.campaign.source), "--force", "--yes"])
    assert result.exit_code == 0, result.output
    assert "destroyed:" in result.output and "state database" in result.output
    assert _state_files(drawn) <= {".gitignore"}
    (archive,) = (drawn.campaign.folder / "archive").glob("*.tar.gz")
    assert check_archive(archive)
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert "draws/week-01/protocol.json" in names and "tax/ndfl.csv" in names
    assert "statistics/report.json" in names and "reports/final/report.html" not in names


def test_down_after_the_final_report_with_yes(runner: CliRunner, drawn: Seeder) -> None:
    report(drawn.campaign, final=True)
    result = runner.invoke(app, ["down", str(drawn.campaign.source), "--yes"])
    assert result.exit_code == 0, result.output
    assert "reports/final/report.pdf" in result.output
    tampered = next((drawn.campaign.folder / "archive").glob("*.tar.gz"))
    assert check_archive(tampered)
    tampered.write_bytes(tampered.read_bytes() + b"x")
    assert not check_archive(tampered)


def test_unknown_target_is_refused(runner: CliRunner, drawn: Seeder) -> None:
    result = runner.invoke(app, ["down", str(drawn.campaign.source), "--target", "aws"])
    assert result.exit_code == 1 and "unknown target" in result.output


class StubCloud:
    """A campaign's cloud stack whose database is a real MariaDB database."""

    def __init__(self, url: str, left: tuple[Leftover, ...]) -> None:
        self.url = url
        self.left = left
        self.destroyed: list[bool] = []

    def database_url(self) -> str:
        return self.url

    def fetch_draws(self) -> list[Path]:
        return []  # the seeded draw published its files locally already

    def destroy(self, *, include_protected: bool) -> tuple[Leftover, ...]:
        self.destroyed.append(include_protected)
        return () if include_protected else self.left

    def kept_cost(self) -> CloudEstimate:
        item = CostItem("Managed MySQL", "1 × b2.medium", Decimal("4321.00"))
        return CloudEstimate(
            (item,), Traffic(0, "none"), "https://yandex.cloud/ru/prices", "2026-11-24"
        )


def _rows(archive: Path, member: str) -> list[str]:
    with tarfile.open(archive) as tar:
        data = tar.extractfile(member)
        assert data is not None
        return data.read().decode().splitlines()


@pytest.mark.mariadb
def test_down_on_yandex_archives_the_cloud_database_and_says_what_is_left(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with mariadb_url() as url:
        # The campaign ran in the cloud: its data is in that database, none on this machine.
        monkeypatch.setenv("CAMPAIGNCTL_DATABASE_URL", url)
        seeder = drawn_bottle_caps(tmp_path)
        seeder.engine.dispose()
        monkeypatch.delenv("CAMPAIGNCTL_DATABASE_URL")
        folder = seeder.campaign.folder
        (folder / ".campaignctl" / "pulumi-workspace").mkdir()
        cloud = StubCloud(
            url,
            (Leftover("MdbMysqlCluster", "briz-db"), Leftover("StorageBucket", "briz-archives")),
        )
        monkeypatch.setattr(YandexTakedown, "open", classmethod(lambda cls, *a, **k: cloud))
        spec = str(seeder.campaign.source)

        result = runner.invoke(app, ["down", spec, "--target", "yandex", "--force", "--yes"])
        assert result.exit_code == 0, result.output
        (archive,) = (folder / "archive").glob("*.tar.gz")
        assert len(_rows(archive, "tax/ndfl.csv")) == 1 + 11  # the cloud's 11 winners
        assert "registrations,40" in "\n".join(_rows(archive, "statistics/csv/summary.csv"))
        out = result.output
        assert cloud.destroyed == [False]
        assert "MySQL" not in out.split("destroyed:")[1].split("still exists")[0]
        assert "MdbMysqlCluster briz-db (holds the participants' personal data)" in out
        assert "costs about 4,321.00 RUB a month (estimate, prices of 2026-11-24" in out
        assert "personal data still exists in the MySQL cluster" in out
        assert f"remove it with: campaignctl down {spec} --target yandex --include-protected" in out
        # What the stack still needs stays: its settings and the key that opens its data.
        assert {"codes.key", "pulumi-workspace"} <= _state_files(seeder)

        result = runner.invoke(
            app, ["down", spec, "--target", "yandex", "--include-protected", "--force", "--yes"]
        )
        assert result.exit_code == 0, result.output
        assert cloud.destroyed == [False, True]
        assert "the Yandex Cloud stack, its MySQL database with the personal data" in result.output
        assert "still exists" not in result.output
        assert _state_files(seeder) <= {".gitignore"}


def test_include_protected_is_for_the_cloud(runner: CliRunner, drawn: Seeder) -> None:
    spec = str(drawn.campaign.source)
    result = runner.invoke(app, ["down", spec, "--include-protected", "--yes"])
    assert result.exit_code == 1 and "--include-protected is for --target yandex" in result.output


def test_an_unreachable_cloud_database_archives_and_destroys_nothing(
    runner: CliRunner, drawn: Seeder, monkeypatch: pytest.MonkeyPatch
) -> None:
    cloud = StubCloud("mysql+pymysql://campaignctl:pw@127.0.0.1:1/campaign", ())
    monkeypatch.setattr(YandexTakedown, "open", classmethod(lambda cls, *a, **k: cloud))
    before = _state_files(drawn)
    spec = str(drawn.campaign.source)
    result = runner.invoke(app, ["down", spec, "--target", "yandex", "--force", "--yes"])
    assert result.exit_code == 1, result.output
    assert (
        "could not read the cloud's database or reports bucket: OperationalError" in result.output
    )
    assert "nothing was archived or destroyed" in result.output
    assert "Traceback" not in result.output
    assert cloud.destroyed == []
    assert _state_files(drawn) == before
    assert not list((drawn.campaign.folder / "archive").glob("*.tar.gz"))


@pytest.mark.mariadb
def test_a_cloud_database_of_another_schema_is_read_never_migrated(
    runner: CliRunner, drawn: Seeder, monkeypatch: pytest.MonkeyPatch
) -> None:
    with mariadb_url() as url:  # an empty database: not at this version's schema
        cloud = StubCloud(url, ())
        monkeypatch.setattr(YandexTakedown, "open", classmethod(lambda cls, *a, **k: cloud))
        spec = str(drawn.campaign.source)
        result = runner.invoke(app, ["down", spec, "--target", "yandex", "--force", "--yes"])
        assert result.exit_code == 1, result.output
        assert "schema is not the one this campaignctl knows" in result.output
        assert cloud.destroyed == []
        engine = create_engine(url)
        assert not inspect(engine).get_table_names()  # nothing was created in it
        engine.dispose()
