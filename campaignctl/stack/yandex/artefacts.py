"""The files the cloud's jobs write, kept in the campaign's private reports bucket.

A Cloud Function can write only to /tmp, which goes with its instance. So
after the ``jobs`` function writes the daily report or a draw's protocol, and
after the ``relay`` function collects the CSV export for a CRM that imports
files, the files are copied to the reports bucket (private, versioned,
SSE-KMS; :mod:`.buckets`) under one key per file:

- ``reports/<YYYY-MM-DD>/report.html``, ``.../report.json``, ``.../csv/<table>.csv``
  (``reports/final/...`` with ``report.pdf`` for the final report);
- ``draws/<ROUND>/protocol.json``, ``protocol.html``, ``protocol.pdf``, ``entries.csv``;
- ``crm-exports/crm-<YYYYmmdd-HHMMSS>.csv``;
- ``receipts/<registration id>.<ext>``: receipt photos, put by the ``http``
  function after the registration commits (:func:`photo_put`).

The same file always gets the same key, so a timer that runs twice writes
the same objects again (versioning keeps the history) and never a second
copy under another name. Each file is one ``PutObject`` (no multipart
upload, whose parts need the key's decrypt role as well): the files are far
below its 5 GB limit.

The function's environment (set by the stack, no Pulumi here):
``CAMPAIGNCTL_BUCKET_REPORTS``, the access key id of the function's static
key (``CAMPAIGNCTL_STATIC_ACCESS_KEY_ID``) with its secret half sealed as
``static_secret_key``; ``CAMPAIGNCTL_S3_ENDPOINT`` points the client
elsewhere (tests: an S3-compatible server on 127.0.0.1).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from campaignctl.model import Campaign
from campaignctl.runtime.photos import PhotoPut
from campaignctl.stack.yandex.coldstart import STATIC_ACCESS_KEY_ENV, static_key
from campaignctl.stack.yandex.upload import YANDEX_S3_ENDPOINT, S3Access, content_type, s3_client

BUCKET_ENV = "CAMPAIGNCTL_BUCKET_REPORTS"
ENDPOINT_ENV = "CAMPAIGNCTL_S3_ENDPOINT"
ACCESS_KEY_ENV = STATIC_ACCESS_KEY_ENV
REPORTS_PREFIX = "reports"
DRAWS_PREFIX = "draws"
CRM_EXPORTS_PREFIX = "crm-exports"


@dataclass(frozen=True)
class ReportsBucket:
    bucket: str
    access: S3Access

    def put_files(self, folder: Path, files: Iterable[Path], prefix: str) -> tuple[str, ...]:
        """Upload ``files`` (inside ``folder``) as ``<prefix>/<path relative to folder>``."""
        client: Any = s3_client(self.access)
        keys = []
        for path in sorted(p for p in files if p.is_file()):
            key = f"{prefix}/{path.relative_to(folder).as_posix()}"
            with path.open("rb") as body:
                client.put_object(
                    Bucket=self.bucket, Key=key, Body=body, ContentType=content_type(path)
                )
            keys.append(key)
        return tuple(keys)

    def put_bytes(self, key: str, data: bytes) -> None:
        """One object from memory (a receipt photo), typed by its key's suffix."""
        client: Any = s3_client(self.access)
        client.put_object(
            Bucket=self.bucket, Key=key, Body=data, ContentType=content_type(Path(key))
        )

    def put_folder(self, folder: Path, prefix: str) -> tuple[str, ...]:
        """Every file under ``folder`` but hidden ones (a writer's partial files)."""
        files = [
            p
            for p in folder.rglob("*")
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
        ]
        return self.put_files(folder, files, prefix)


def reports_bucket(env: Mapping[str, str], secrets: Mapping[str, str]) -> ReportsBucket | None:
    """The reports bucket of this function; None where the stack gives it none (local runs)."""
    bucket = env.get(BUCKET_ENV)
    if not bucket:
        return None
    access_key, secret_key = static_key(
        env,
        secrets,
        missing=f"{BUCKET_ENV} is set but {ACCESS_KEY_ENV} or its sealed secret half is not",
        hint="the stack gives a function that writes to the reports bucket a static key",
    )
    endpoint = env.get(ENDPOINT_ENV) or YANDEX_S3_ENDPOINT
    return ReportsBucket(bucket, S3Access(access_key, secret_key, endpoint=endpoint))


def photo_put(env: Mapping[str, str], secrets: Mapping[str, str]) -> PhotoPut | None:
    """How the http function keeps receipt photos: into the reports bucket; None locally."""
    bucket = reports_bucket(env, secrets)
    return bucket.put_bytes if bucket is not None else None


def ship_crm_exports(campaign: Campaign, bucket: ReportsBucket) -> tuple[str, ...]:
    """Collect the spooled CSV rows into files and move every file here into the bucket.

    A file is deleted here only after its upload, so one whose upload failed
    goes up with the next run on this instance, under the same key.
    """
    from campaignctl.delivery.csv_export import export_csv, export_dir  # noqa: PLC0415

    export_csv(campaign)
    folder = export_dir(campaign)
    keys: list[str] = []
    for path in sorted(folder.glob("crm-*.csv")):
        keys += bucket.put_files(folder, [path], CRM_EXPORTS_PREFIX)
        path.unlink()
    return tuple(keys)
