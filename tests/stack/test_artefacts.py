"""The jobs' files reach the reports bucket: timer events against moto's S3 over real HTTP.

The ``jobs`` function cold-starts as in ``test_handler`` (KMS emulator on
127.0.0.1) with the stack's bucket settings and its static key, sealed; a
recorded timer event runs the daily report or a draw, and the files appear in
a versioned bucket under their keys. A second run of the same timer writes
the same keys again, never a second copy.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from campaignctl.delivery.csv_export import export_dir, spool_row
from campaignctl.stack.yandex import artefacts, handler
from campaignctl.stack.yandex.coldstart import NotConfigured
from campaignctl.stack.yandex.functions import secret_variable
from campaignctl.stack.yandex.upload import S3Access
from campaignctl.stack.yandex.vault import aad_context
from tests.runtime.conftest import copy_example
from tests.stack.test_handler import (  # noqa: F401 - fixtures
    CONTEXT,
    Kms,
    _body,
    _event,
    function,
    kms,
)

KEY = "testing"
REPORT_TICK = "2027-06-17T06:00:00.000Z"
"""09:00 in Moscow: the daily report's minute."""


def _client(endpoint: str) -> Any:
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="eu-west-1",
        aws_access_key_id=KEY,
        aws_secret_access_key=KEY,
    )


@pytest.fixture
def bucket(s3_endpoint: str, request: pytest.FixtureRequest) -> str:
    name = f"reports-{request.node.name.replace('_', '-')[:40].lower()}"
    client = _client(s3_endpoint)
    client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    client.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
    return name


@pytest.fixture
def jobs(
    function: dict[str, Any],  # noqa: F811
    kms: Kms,  # noqa: F811
    s3_endpoint: str,
    bucket: str,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[dict[str, Any]]:
    """The handler fixture with the jobs function's bucket settings, as the stack sets them."""
    slug = function["campaign"].slug
    monkeypatch.setenv(artefacts.BUCKET_ENV, bucket)
    monkeypatch.setenv(artefacts.ENDPOINT_ENV, s3_endpoint)
    monkeypatch.setenv(artefacts.ACCESS_KEY_ENV, KEY)
    monkeypatch.setenv(
        secret_variable("static_secret_key"), kms.seal(aad_context(slug, "static_secret_key"), KEY)
    )
    yield {**function, "bucket": bucket, "s3": _client(s3_endpoint)}


def _keys(s3: Any, bucket: str) -> list[str]:
    return sorted(o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", []))


def _versions(s3: Any, bucket: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for v in s3.list_object_versions(Bucket=bucket).get("Versions", []):
        counts[v["Key"]] = counts.get(v["Key"], 0) + 1
    return counts


def _local(folder: Path, prefix: str) -> dict[str, bytes]:
    return {
        f"{prefix}/{p.relative_to(folder).as_posix()}": p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file()
    }


def test_the_report_timer_puts_the_report_into_the_bucket(jobs: dict[str, Any]) -> None:
    s3, bucket = jobs["s3"], jobs["bucket"]
    for code in jobs["codes"][:2]:
        ok = handler.http(_event("apigw_registration_post.json", _body(code)), CONTEXT)
        assert ok["statusCode"] == 201
    tick = _event("timer_tick.json")
    tick["messages"][0]["event_metadata"]["created_at"] = REPORT_TICK
    first = handler.timer(tick, CONTEXT)
    assert first["ran"] == ["report"]

    folder = handler.runtime(CONTEXT).campaign.folder / "reports" / "2027-06-17"
    local = _local(folder, "reports/2027-06-17")
    assert {"reports/2027-06-17/report.html", "reports/2027-06-17/report.json"} <= set(local)
    assert any(k.startswith("reports/2027-06-17/csv/") and k.endswith(".csv") for k in local)
    assert sorted(first["uploaded"]) == _keys(s3, bucket) == sorted(local)
    for key, data in local.items():
        stored = s3.get_object(Bucket=bucket, Key=key)
        assert stored["Body"].read() == data, key
    html = s3.head_object(Bucket=bucket, Key="reports/2027-06-17/report.html")
    assert html["ContentType"] == "text/html; charset=utf-8"

    again = handler.timer(tick, CONTEXT)
    assert again["ran"] == ["report"]
    assert sorted(again["uploaded"]) == _keys(s3, bucket) == sorted(local)
    # Same keys overwritten; the bucket's versioning keeps the first run's objects.
    assert set(_versions(s3, bucket).values()) == {2}


def test_the_draw_timer_publishes_the_protocol_once(jobs: dict[str, Any]) -> None:
    s3, bucket = jobs["s3"], jobs["bucket"]
    for code in jobs["codes"][:3]:
        handler.http(_event("apigw_registration_post.json", _body(code)), CONTEXT)
    tick = _event("timer_tick.json")  # 2027-06-17 09:00 UTC: the week-01 draw
    first = handler.timer(tick, CONTEXT)
    assert first["ran"] == ["draw:week-01"]
    keys = _keys(s3, bucket)
    assert sorted(first["uploaded"]) == keys
    assert {"draws/week-01/protocol.json", "draws/week-01/entries.csv"} <= set(keys)
    assert all(k.startswith("draws/week-01/") for k in keys)
    protocol = s3.get_object(Bucket=bucket, Key="draws/week-01/protocol.json")["Body"].read()

    # Drawn before: not drawn again, the files this instance holds are put again as they were.
    again = handler.timer(tick, CONTEXT)
    assert again["ran"] == [] and again["skipped"] == ["draw:week-01"]
    assert _keys(s3, bucket) == keys
    assert s3.get_object(Bucket=bucket, Key="draws/week-01/protocol.json")["Body"].read() == (
        protocol
    )


def test_without_a_bucket_nothing_is_uploaded(function: dict[str, Any]) -> None:  # noqa: F811
    tick = _event("timer_tick.json")
    tick["messages"][0]["event_metadata"]["created_at"] = REPORT_TICK
    assert handler.timer(tick, CONTEXT)["uploaded"] == []


def test_a_bucket_without_its_key_is_a_configuration_error() -> None:
    with pytest.raises(NotConfigured, match="CAMPAIGNCTL_STATIC_ACCESS_KEY_ID"):
        artefacts.reports_bucket({artefacts.BUCKET_ENV: "b"}, {})


def test_crm_exports_move_into_the_bucket(tmp_path: Path, s3_endpoint: str, bucket: str) -> None:
    campaign = copy_example("bottle-caps", tmp_path / "campaign")
    target = artefacts.ReportsBucket(bucket, S3Access(KEY, KEY, endpoint=s3_endpoint))
    s3 = _client(s3_endpoint)
    spool_row(campaign, "reg-1", {"phone": "+79001234567"})
    first = artefacts.ship_crm_exports(campaign, target)
    assert len(first) == 1 and first[0].startswith("crm-exports/crm-")
    assert _keys(s3, bucket) == list(first)
    body = s3.get_object(Bucket=bucket, Key=first[0])["Body"].read().decode("utf-8-sig")
    assert "+79001234567" in body
    assert not list(export_dir(campaign).glob("crm-*.csv"))  # moved, not copied
    assert artefacts.ship_crm_exports(campaign, target) == ()  # nothing waited
    assert _keys(s3, bucket) == list(first)
