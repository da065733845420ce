"""Receipt photos in the cloud: the http function puts them into the reports bucket.

A packaged receipt-draw campaign cold-starts as in ``test_handler`` (KMS
emulator on 127.0.0.1) with the http function's bucket settings and its
static key, sealed; the recorded API Gateway base64 form event carries a
multipart registration with a photo, which lands in moto's S3 (over HTTP)
under ``receipts/<registration id>.png``, and the receipt stores that key.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from campaignctl.codes.keys import create_keys, key_path
from campaignctl.runtime.context import CLOCK_ENV
from campaignctl.spec.validate import load_campaign
from campaignctl.stack.yandex import artefacts, handler
from campaignctl.stack.yandex.functions import secret_variable
from campaignctl.stack.yandex.vault import aad_context
from campaignctl.store import open_engine, upgrade
from campaignctl.store.runtime_tables import receipts
from tests.runtime.conftest import copy_example
from tests.stack.test_artefacts import KEY, _client, _keys, bucket  # noqa: F401 - fixture
from tests.stack.test_handler import CONTEXT, PHONE, Kms, _event, kms  # noqa: F401 - fixture

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
BOUNDARY = "----campaignctl-test-boundary"


@pytest.fixture
def http_function(
    tmp_path: Path,
    kms: Kms,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[dict[str, Any]]:
    """A packaged receipt-draw campaign (no key in the package) and its database."""
    copy_example("receipt-draw", tmp_path / "package")
    yaml = tmp_path / "package" / "campaign.yaml"
    # The captcha has its own tests (tests/runtime); here it would need SmartCaptcha.
    yaml.write_text(
        yaml.read_text(encoding="utf-8").replace("provider: yandex_smartcaptcha", "provider: none"),
        encoding="utf-8",
    )
    package = load_campaign(yaml)
    create_keys(package.folder)
    key_text = key_path(package.folder).read_text()
    key_path(package.folder).unlink()
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    engine = open_engine(url)
    upgrade(engine)
    at = datetime(2027, 8, 5, 12, 0, tzinfo=ZoneInfo("Europe/Moscow"))
    monkeypatch.setenv(CLOCK_ENV, str((at - datetime.now(UTC)).total_seconds()))
    monkeypatch.setenv("CAMPAIGNCTL_CAMPAIGN", str(package.source))
    monkeypatch.setenv("CAMPAIGNCTL_DATABASE_URL", url)
    monkeypatch.setenv("CAMPAIGNCTL_WORK_DIR", str(tmp_path / "work"))
    monkeypatch.setenv("CAMPAIGNCTL_KMS_KEY_ID", "abjq3tjhj1o8e9f5k2m4")
    monkeypatch.setenv("CAMPAIGNCTL_KMS_ENDPOINT", kms.url)
    monkeypatch.setenv(
        secret_variable("codes_key"), kms.seal(aad_context(package.slug, "codes_key"), key_text)
    )
    handler.reset()
    yield {"campaign": package, "engine": engine, "work": tmp_path / "work"}
    handler.reset()
    engine.dispose()


def _cloud(env: pytest.MonkeyPatch, emulator: Kms, slug: str, name: str, endpoint: str) -> None:
    """The http function's bucket settings as the stack sets them (photo campaigns)."""
    env.setenv(artefacts.BUCKET_ENV, name)
    env.setenv(artefacts.ENDPOINT_ENV, endpoint)
    env.setenv(artefacts.ACCESS_KEY_ENV, KEY)
    sealed = emulator.seal(aad_context(slug, "static_secret_key"), KEY)
    env.setenv(secret_variable("static_secret_key"), sealed)


def _multipart(photo: bytes) -> bytes:
    fields = {
        "phone": PHONE,
        "name": "Анна",
        "email": "anna@example.ru",
        "consent": "yes",
        "age_confirmed": "yes",
    }
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    parts.append(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="receipt_photo"; '
        'filename="check.png"\r\nContent-Type: image/png\r\n\r\n'.encode()
        + photo
        + b"\r\n"
    )
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


def _photo_event(photo: bytes) -> dict[str, Any]:
    event = _event("apigw_form_post_base64.json")
    body = _multipart(photo)
    content_type = f"multipart/form-data; boundary={BOUNDARY}"
    event["headers"]["Content-Type"] = content_type
    event["multiValueHeaders"]["Content-Type"] = [content_type]
    event["headers"]["Accept"] = "application/json"
    event["multiValueHeaders"]["Accept"] = ["application/json"]
    event["headers"]["Content-Length"] = str(len(body))
    event["multiValueHeaders"]["Content-Length"] = [str(len(body))]
    event["body"] = base64.b64encode(body).decode()
    return event


def _stored(engine: Any) -> list[str | None]:
    with engine.connect() as conn:
        return [row[0] for row in conn.execute(select(receipts.c.photo_path))]


def test_a_photo_registration_puts_the_photo_under_receipts(
    http_function: dict[str, Any],
    kms: Kms,  # noqa: F811
    bucket: str,  # noqa: F811
    s3_endpoint: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _cloud(monkeypatch, kms, http_function["campaign"].slug, bucket, s3_endpoint)
    result = handler.http(_photo_event(PNG), CONTEXT)
    assert result["statusCode"] == 201, result["body"]
    s3 = _client(s3_endpoint)
    [key] = _keys(s3, bucket)
    assert key.startswith("receipts/") and key.endswith(".png")
    assert s3.get_object(Bucket=bucket, Key=key)["Body"].read() == PNG
    assert s3.head_object(Bucket=bucket, Key=key)["ContentType"] == "image/png"
    # The receipt's photo reference is the object key, and nothing stays in /tmp.
    assert _stored(http_function["engine"]) == [key]
    uploads = handler.runtime(CONTEXT).context.settings.uploads_dir
    assert uploads is not None and not list(uploads.glob("*"))


def test_a_refused_photo_registration_puts_nothing(
    http_function: dict[str, Any],
    kms: Kms,  # noqa: F811
    bucket: str,  # noqa: F811
    s3_endpoint: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _cloud(monkeypatch, kms, http_function["campaign"].slug, bucket, s3_endpoint)
    result = handler.http(_photo_event(b"<?php echo 1; ?>"), CONTEXT)
    assert result["statusCode"] == 422
    assert _keys(_client(s3_endpoint), bucket) == []
    assert _stored(http_function["engine"]) == []


def test_without_a_bucket_the_photo_stays_local(
    http_function: dict[str, Any],
) -> None:
    result = handler.http(_photo_event(PNG), CONTEXT)
    assert result["statusCode"] == 201, result["body"]
    [path] = _stored(http_function["engine"])
    assert path is not None and Path(path).read_bytes() == PNG
