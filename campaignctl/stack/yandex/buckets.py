"""Object Storage: the public site bucket and the private, encrypted ones.

The site bucket serves the rendered promo site: its policy lets anyone read
objects (``s3:GetObject``) and nothing else, not even listing; it is not
KMS-encrypted because anonymous readers cannot decrypt. Print files, reports
and archives are private, versioned, SSE-KMS encrypted with their own key, and
expire old versions; the archive bucket is protected from ``pulumi destroy``.
pulumi-yandex 0.13 buckets take no labels: their names carry the campaign slug.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pulumi
import pulumi_yandex as yandex

from campaignctl.stack.yandex.naming import Naming
from campaignctl.stack.yandex.vault import KEY_ROTATION

PRIVATE = ("print-files", "reports", "archives")
PROTECTED = frozenset({"archives"})
"""Buckets that `pulumi destroy` refuses to delete unless asked explicitly (deploy.destroy)."""
NONCURRENT_DAYS = 30
ARCHIVE_COLD_DAYS = 30
JOBS_ACCESS = {
    "reports": ("s3:GetObject", "s3:PutObject", "s3:ListBucket"),
    "archives": ("s3:GetObject", "s3:PutObject", "s3:ListBucket"),
}
"""What the jobs function may do in each private bucket (bucket policy, not a folder role)."""
EXPORTS_PREFIX = "crm-exports"
EXPORTS_ACCESS = ("s3:PutObject",)
"""What the CSV exporter (the relay, for a CRM that imports files) may do: put objects
under ``crm-exports/`` of the reports bucket, nothing else (no reading, no listing)."""
DRAWS_PREFIX = "draws"
GATEWAY_ACCESS = ("s3:GetObject",)
"""What the API Gateway's account may do in the reports bucket: read the drawn rounds'
published files under ``draws/`` (served at ``/api/v1/draws/ROUND/FILE``), nothing else."""
RECEIPTS_PREFIX = "receipts"
RECEIPTS_ACCESS = ("s3:PutObject",)
"""What the http function may do in the reports bucket (campaigns that take receipt photos):
put a photo under ``receipts/``, nothing else (no reading, no listing, no deleting)."""


def public_read_policy(bucket: str) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "PublicReadOfWebsiteObjects",
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": "s3:GetObject",
                    "Resource": f"arn:aws:s3:::{bucket}/*",
                }
            ],
        }
    )


def account_policy(
    bucket: str,
    account_id: str,
    actions: tuple[str, ...],
    exporter_id: str | None = None,
    gateway_id: str | None = None,
    receipts_id: str | None = None,
) -> str:
    statements: list[dict[str, object]] = [
        {
            "Sid": "JobsFunction",
            "Effect": "Allow",
            "Principal": {"CanonicalUser": account_id},
            "Action": list(actions),
            "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
        }
    ]
    grants = (
        ("CsvExport", exporter_id, EXPORTS_ACCESS, EXPORTS_PREFIX),
        ("GatewayReadsDraws", gateway_id, GATEWAY_ACCESS, DRAWS_PREFIX),
        ("HttpPutsReceipts", receipts_id, RECEIPTS_ACCESS, RECEIPTS_PREFIX),
    )
    for sid, principal, granted, prefix in grants:
        # Another account's access to one prefix only (CSV exports, drawn rounds, photos).
        if principal is not None:
            statements.append(
                {
                    "Sid": sid,
                    "Effect": "Allow",
                    "Principal": {"CanonicalUser": principal},
                    "Action": list(granted),
                    "Resource": [f"arn:aws:s3:::{bucket}/{prefix}/*"],
                }
            )
    return json.dumps({"Version": "2012-10-17", "Statement": statements})


def _lifecycle(part: str) -> list[yandex.StorageBucketLifecycleRuleArgs]:
    rules = [
        yandex.StorageBucketLifecycleRuleArgs(
            id="expire-old-versions",
            enabled=True,
            abort_incomplete_multipart_upload_days=1,
            noncurrent_version_expiration=(
                yandex.StorageBucketLifecycleRuleNoncurrentVersionExpirationArgs(
                    days=NONCURRENT_DAYS
                )
            ),
        )
    ]
    if part == "archives":
        rules.append(
            yandex.StorageBucketLifecycleRuleArgs(
                id="archive-to-cold",
                enabled=True,
                transitions=[
                    yandex.StorageBucketLifecycleRuleTransitionArgs(
                        days=ARCHIVE_COLD_DAYS, storage_class="COLD"
                    )
                ],
            )
        )
    return rules


def _jobs_policy(
    bucket: str,
    account_id: pulumi.Input[str],
    actions: tuple[str, ...],
    exporter_id: pulumi.Input[str] | None = None,
    gateway_id: pulumi.Input[str] | None = None,
    receipts_id: pulumi.Input[str] | None = None,
) -> pulumi.Output[str]:
    return pulumi.Output.all(account_id, exporter_id, gateway_id, receipts_id).apply(
        lambda ids: account_policy(bucket, ids[0], actions, ids[1], ids[2], ids[3])
    )


@dataclass(frozen=True)
class BucketsArgs:
    naming: Naming
    jobs_account_id: pulumi.Input[str]
    protect: bool = True
    """False only on the way to an explicit destroy of protected resources (deploy.destroy)."""
    exporter_account_id: pulumi.Input[str] | None = None
    """The account that puts CSV CRM exports into the reports bucket (campaigns whose CRM
    imports files), or None."""
    gateway_account_id: pulumi.Input[str] | None = None
    """The API Gateway's account: reads ``draws/*`` of the reports bucket, or None."""
    receipts_account_id: pulumi.Input[str] | None = None
    """The http function's account where the campaign takes receipt photos: puts them
    under ``receipts/*`` of the reports bucket, or None."""


class Buckets(pulumi.ComponentResource):
    site: yandex.StorageBucket
    private: dict[str, yandex.StorageBucket]
    key: yandex.KmsSymmetricKey

    def __init__(self, name: str, args: BucketsArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("campaignctl:yandex:Buckets", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        n = args.naming
        site_name = n.bucket("site")
        self.site = yandex.StorageBucket(
            "site",
            bucket=site_name,
            website=yandex.StorageBucketWebsiteArgs(
                index_document="index.html", error_document="404.html"
            ),
            policy=public_read_policy(site_name),
            force_destroy=True,  # rebuilt from campaign.yaml on every deploy
            opts=child,
        )
        self.key = yandex.KmsSymmetricKey(
            "storage-key",
            name=n.name("storage"),
            description=f"Server-side encryption of the private buckets of {n.slug}",
            default_algorithm="AES_256",
            rotation_period=KEY_ROTATION,
            labels=n.labels,
            folder_id=n.target.folder_id,
            opts=child,
        )

        def grant(name: str, role: str, account_id: pulumi.Input[str] | None) -> None:
            if account_id is not None:
                yandex.KmsSymmetricKeyIamBinding(
                    f"storage-key-{name}",
                    symmetric_key_id=self.key.id,
                    role=role,
                    members=[pulumi.Output.concat("serviceAccount:", account_id)],
                    opts=child,
                )

        # Writing to an SSE-KMS bucket encrypts with the key: the jobs account needs both ways.
        grant("jobs", "kms.keys.encrypterDecrypter", args.jobs_account_id)
        # PutObject into an SSE-KMS bucket encrypts; a single PUT needs nothing more.
        grant("exporter", "kms.keys.encrypter", args.exporter_account_id)
        # GetObject from an SSE-KMS bucket decrypts: the gateway needs that and no more.
        grant("gateway", "kms.keys.decrypter", args.gateway_account_id)
        # One PutObject per photo encrypts only: no decrypt role, no reading back.
        grant("http", "kms.keys.encrypter", args.receipts_account_id)
        encryption = yandex.StorageBucketServerSideEncryptionConfigurationArgs(
            rule=yandex.StorageBucketServerSideEncryptionConfigurationRuleArgs(
                apply_server_side_encryption_by_default=yandex.StorageBucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
                    kms_master_key_id=self.key.id, sse_algorithm="aws:kms"
                )
            )
        )
        self.private = {}
        for part in PRIVATE:
            bucket = n.bucket(part)
            actions = JOBS_ACCESS.get(part)
            policy = (
                _jobs_policy(
                    bucket,
                    args.jobs_account_id,
                    actions,
                    args.exporter_account_id if part == "reports" else None,
                    args.gateway_account_id if part == "reports" else None,
                    args.receipts_account_id if part == "reports" else None,
                )
                if actions is not None
                else None
            )
            self.private[part] = yandex.StorageBucket(
                part,
                bucket=bucket,
                acl="private",
                versioning=yandex.StorageBucketVersioningArgs(enabled=True),
                lifecycle_rules=_lifecycle(part),
                server_side_encryption_configuration=encryption,
                policy=policy,
                force_destroy=part not in PROTECTED or not args.protect,
                opts=pulumi.ResourceOptions(
                    parent=self, protect=args.protect and part in PROTECTED
                ),
            )
        self.register_outputs(
            {"site": self.site.bucket, **{p: b.bucket for p, b in self.private.items()}}
        )
