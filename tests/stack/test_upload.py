"""The site upload over real HTTP against a local S3-compatible server (moto, server mode)."""

from __future__ import annotations

from pathlib import Path

import boto3
import pytest

from campaignctl.errors import UserError
from campaignctl.stack.yandex.upload import S3Access, content_type, upload_site

ACCESS = S3Access(access_key="testing", secret_key="testing")


@pytest.fixture
def bucket(s3_endpoint: str, request: pytest.FixtureRequest) -> tuple[str, S3Access]:
    access = S3Access(ACCESS.access_key, ACCESS.secret_key, endpoint=s3_endpoint)
    name = f"site-{request.node.name.replace('_', '-')[:40].lower()}"
    _client(access).create_bucket(
        Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )
    return name, access


def _client(access: S3Access):  # type: ignore[no-untyped-def]
    return boto3.client(
        "s3",
        endpoint_url=access.endpoint,
        region_name="eu-west-1",
        aws_access_key_id=access.access_key,
        aws_secret_access_key=access.secret_key,
    )


def _site(folder: Path, pages: dict[str, str]) -> Path:
    for name, text in pages.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def test_uploads_with_types_and_cache(tmp_path: Path, bucket: tuple[str, S3Access]) -> None:
    name, access = bucket
    site = _site(
        tmp_path / "site",
        {
            "index.html": "<h1>Чек на удачу</h1>",
            "assets/app.css": "body{}",
            "rules/index.html": "x",
        },
    )
    result = upload_site(site, name, access)
    assert result.uploaded == ("assets/app.css", "index.html", "rules/index.html")
    client = _client(access)
    page = client.get_object(Bucket=name, Key="index.html")
    assert page["Body"].read().decode() == "<h1>Чек на удачу</h1>"
    assert page["ContentType"] == "text/html; charset=utf-8"
    assert page["CacheControl"] == "no-cache"
    css = client.head_object(Bucket=name, Key="assets/app.css")
    assert css["ContentType"] == "text/css; charset=utf-8"
    assert css["CacheControl"] == "public, max-age=86400"


def test_removed_pages_are_deleted(tmp_path: Path, bucket: tuple[str, S3Access]) -> None:
    name, access = bucket
    upload_site(_site(tmp_path / "v1", {"index.html": "1", "old.html": "old"}), name, access)
    result = upload_site(_site(tmp_path / "v2", {"index.html": "2"}), name, access)
    assert result.deleted == ("old.html",)
    keys = [o["Key"] for o in _client(access).list_objects_v2(Bucket=name)["Contents"]]
    assert keys == ["index.html"]


def test_a_site_without_index_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UserError, match=r"no index\.html"):
        upload_site(_site(tmp_path / "s", {"a.css": ""}), "any", ACCESS)


def test_content_types() -> None:
    assert content_type(Path("logo.svg")) == "image/svg+xml"
    assert content_type(Path("hero.png")) == "image/png"
    assert content_type(Path("data.json")) == "application/json; charset=utf-8"
    assert content_type(Path("blob")) == "application/octet-stream"
