"""Upload the rendered promo site to its bucket over the S3 API (boto3).

Files are uploaded with their content type and a cache policy: HTML is
revalidated on every request (texts and dates change during a campaign),
other assets are cached for a day. Objects in the bucket that the site no
longer has are deleted, so a page removed from the campaign disappears.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3  # type: ignore[import-untyped]

from campaignctl.errors import UserError
from campaignctl.stack.yandex.naming import REGION

YANDEX_S3_ENDPOINT = "https://storage.yandexcloud.net"
HTML_CACHE = "no-cache"
ASSET_CACHE = "public, max-age=86400"


@dataclass(frozen=True)
class S3Access:
    access_key: str
    secret_key: str
    endpoint: str = YANDEX_S3_ENDPOINT
    region: str = REGION


@dataclass(frozen=True)
class Uploaded:
    uploaded: tuple[str, ...]
    deleted: tuple[str, ...]


def content_type(path: Path) -> str:
    guessed, _ = mimetypes.guess_type(path.name)
    kind = guessed or "application/octet-stream"
    return (
        f"{kind}; charset=utf-8"
        if kind.startswith("text/") or kind.endswith(("json", "javascript"))
        else kind
    )


def s3_client(access: S3Access) -> Any:
    return boto3.client(
        "s3",
        endpoint_url=access.endpoint,
        region_name=access.region,
        aws_access_key_id=access.access_key,
        aws_secret_access_key=access.secret_key,
    )


def upload_site(folder: Path, bucket: str, access: S3Access) -> Uploaded:
    """Mirror ``folder`` (the rendered site) into ``bucket``; return what changed."""
    if not (folder / "index.html").is_file():
        raise UserError(
            "the rendered site has no index.html", hint="render the site first", path=folder
        )
    client = s3_client(access)
    keys = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        key = path.relative_to(folder).as_posix()
        cache = HTML_CACHE if path.suffix == ".html" else ASSET_CACHE
        client.upload_file(
            str(path),
            bucket,
            key,
            ExtraArgs={"ContentType": content_type(path), "CacheControl": cache},
        )
        keys.append(key)
    present = set(keys)
    stale = []
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        stale += [o["Key"] for o in page.get("Contents", []) if o["Key"] not in present]
    for start in range(0, len(stale), 1000):  # DeleteObjects takes up to 1000 keys
        chunk = stale[start : start + 1000]
        client.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": k} for k in chunk]})
    return Uploaded(tuple(keys), tuple(stale))
