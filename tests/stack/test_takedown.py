"""`down --target yandex` reads the cloud's data and says truthfully what of the stack is left.

The Automation API runs against the emulated CLI (the stack's state as the
test says the program declared it); the draws come from moto's S3 server on
127.0.0.1.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import boto3  # type: ignore[import-untyped]
import pytest
from pulumi.automation import CommandResult
from pulumi.automation.errors import create_command_error

from campaignctl.errors import UserError
from campaignctl.model import Campaign
from campaignctl.spec import load_campaign
from campaignctl.stack.yandex.coldstart import ROOT_CA
from campaignctl.stack.yandex.deploy import deploy
from campaignctl.stack.yandex.offline import run_offline
from campaignctl.stack.yandex.takedown import NothingDeployed, YandexTakedown
from tests.stack.conftest import MAIN, campaign_path
from tests.stack.pulumi_cli import EmulatedCli
from tests.stack.test_deploy import READY

HOST = "rc1a-k2m4n6p8q0r2s4t6.mdb.yandexcloud.net"


def _state(campaign: Campaign) -> list[dict[str, Any]]:
    """What the program declares, as state entries (type, urn, protect, outputs)."""
    entries = []
    for r in run_offline(campaign).cloud_resources:
        outputs: dict[str, Any] = {"name": r.inputs.get("name", r.name)}
        if r.short_type == "yandex:StorageBucket":
            outputs = {"bucket": r.inputs["bucket"]}
        if r.short_type == "yandex:MdbMysqlCluster":
            outputs["hosts"] = [{"fqdn": HOST}]
        entries.append(
            {
                "type": r.type,
                "urn": f"urn:pulumi:{campaign.slug}::campaignctl-yandex::{r.type}::{r.name}",
                "custom": True,
                "protect": r.protect,
                "outputs": outputs,
            }
        )
    return entries


@pytest.fixture
def deployed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, s3_endpoint: str
) -> tuple[Campaign, EmulatedCli]:
    for name, value in READY.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("CAMPAIGNCTL_S3_ENDPOINT", s3_endpoint)
    shutil.copytree(campaign_path(MAIN).parent, tmp_path / "c")
    campaign = load_campaign(tmp_path / "c" / "campaign.yaml")
    cli = EmulatedCli(
        resources=_state(campaign),
        # What Pulumi keeps with the protected cluster and archive bucket.
        stands_on={"mysql": {"network", "subnet", "db-access"}, "archives": {"storage-key"}},
    )
    deploy(campaign, certificate_id="fpq123", command=cli)
    return campaign, cli


def test_the_archive_reads_the_clusters_database_over_verified_tls(
    deployed: tuple[Campaign, EmulatedCli],
) -> None:
    campaign, cli = deployed
    url = YandexTakedown.open(campaign, command=cli).database_url()
    password = cli.runs[0].config["campaignctl:db_password"]
    assert url.startswith(f"mysql+pymysql://campaignctl:{password}@{HOST}:3306/campaign?")
    assert f"ssl_ca={ROOT_CA}" in unquote(url) and "ssl_check_hostname=true" in url


def test_the_drawn_rounds_files_come_from_the_reports_bucket(
    deployed: tuple[Campaign, EmulatedCli], s3_endpoint: str
) -> None:
    campaign, cli = deployed
    bucket = next(r["outputs"]["bucket"] for r in cli.resources if r["urn"].endswith("::reports"))
    s3 = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="a",
        aws_secret_access_key="s",
    )
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="draws/week-01/protocol.json", Body=b'{"round": "week-01"}')
    s3.put_object(Bucket=bucket, Key="draws/week-01/entries.csv", Body=b"n,entry\n")
    s3.put_object(Bucket=bucket, Key="receipts/r1.jpg", Body=b"photo")  # not a draw file
    s3.put_object(Bucket=bucket, Key="draws/stray.txt", Body=b"x")  # not draws/<round>/<file>
    fetched = YandexTakedown.open(campaign, command=cli).fetch_draws()
    folder = campaign.folder / "draws"
    assert sorted(p.relative_to(folder).as_posix() for p in fetched) == [
        "week-01/entries.csv",
        "week-01/protocol.json",
    ]
    assert (folder / "week-01" / "protocol.json").read_bytes() == b'{"round": "week-01"}'


def test_without_include_protected_the_cluster_and_archive_bucket_are_left(
    deployed: tuple[Campaign, EmulatedCli],
) -> None:
    campaign, cli = deployed
    takedown = YandexTakedown.open(campaign, command=cli)
    left = takedown.destroy(include_protected=False)
    assert (left[0].type, left[0].personal_data) == ("MdbMysqlCluster", True)
    assert sorted(x.type for x in left) == [
        "KmsSymmetricKey",
        "MdbMysqlCluster",
        "StorageBucket",
        "VpcNetwork",
        "VpcSecurityGroup",
        "VpcSubnet",
    ]
    assert "holds the participants' personal data" in left[0].describe()
    cost = takedown.kept_cost()
    assert [i.service for i in cost.items] == ["Managed MySQL", "Object Storage", "KMS"]
    assert cost.monthly_rub > 1000  # a b2.medium host for a month
    # The state is the handle on what is left: a second run finds the cluster still.
    again = YandexTakedown.open(campaign, command=cli)
    assert HOST in again.database_url()
    assert again.fetch_draws() == []  # the reports bucket is gone
    assert again.destroy(include_protected=True) == ()
    up, destroyed = cli.runs[-2:]
    assert (up.kind, up.config["campaignctl:unprotect"]) == ("up", "true")
    # Only the protected cluster and archive bucket are updated: nothing comes back.
    targets = [up.args[i + 1] for i, w in enumerate(up.args) if w == "--target"]
    assert sorted(t.rpartition("::")[2] for t in targets) == ["archives", "mysql"]
    assert destroyed.kind == "destroy" and "--exclude-protected" not in destroyed.args


def test_a_stack_never_deployed_has_nothing_to_archive(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in READY.items():
        monkeypatch.setenv(name, value)
    shutil.copytree(campaign_path(MAIN).parent, tmp_path / "c")
    campaign = load_campaign(tmp_path / "c" / "campaign.yaml")
    with pytest.raises(NothingDeployed, match="has no MySQL cluster"):
        YandexTakedown.open(campaign, command=EmulatedCli()).database_url()


class FailingDestroy(EmulatedCli):
    def run(self, args: list[str], cwd: str, additional_env: Any, *rest: Any) -> Any:
        if "destroy" in args:
            raise create_command_error(
                CommandResult("", "error: deleting cluster: PermissionDenied", 255)
            )
        return super().run(args, cwd, additional_env, *rest)


def test_a_failed_destroy_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, s3_endpoint: str
) -> None:
    for name, value in READY.items():
        monkeypatch.setenv(name, value)
    shutil.copytree(campaign_path(MAIN).parent, tmp_path / "c")
    campaign = load_campaign(tmp_path / "c" / "campaign.yaml")
    cli = FailingDestroy(resources=_state(campaign))
    deploy(campaign, certificate_id="fpq123", command=cli)
    with pytest.raises(UserError) as caught:
        YandexTakedown.open(campaign, command=cli).destroy(include_protected=False)
    text = caught.value.render()
    assert "Pulumi could not destroy the stack" in text and "PermissionDenied" in text
    assert "no local data was destroyed" in text
