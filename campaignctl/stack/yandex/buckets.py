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
OPERATOR_ACCESS = {
    "print-files": ("s3:GetObject", "s3:PutObject", "s3:ListBucket"),
    "reports": ("s3:GetObject", "s3:ListBucket"),
    "archives": ("s3:GetObject", "s3:ListBucket"),
}
"""What ``infrastructure.yandex.operators`` may do: put and fetch print files, read the
reports (receipt photos, CSV exports, draw files) and the archives; never delete."""
DEPLOYER_ACCESS = ("*",)
"""The deployer manages every bucket: once a bucket has a policy, a request no statement
allows is denied, the deployer's own refresh, site upload and ``down`` included."""
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


@dataclass(frozen=True)
class Grant:
    """One bucket-policy statement: a principal's actions on the bucket or on one prefix."""

    sid: str
    principal: str
    """A subject id (``CanonicalUser``): a service account, a user, a federated user."""
    actions: tuple[str, ...]
    prefix: str | None = None
    """None: the bucket itself and every object in it."""


def member_id(member: str) -> str:
    """``userAccount:ajeq...`` (an IAM member) -> ``ajeq...`` (a bucket-policy subject id)."""
    return member.partition(":")[2]


def bucket_policy(bucket: str, grants: list[Grant], *, public_read: bool = False) -> str:
    statements: list[dict[str, object]] = []
    if public_read:
        statements.append(
            {
                "Sid": "PublicReadOfWebsiteObjects",
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{bucket}/*",
            }
        )
    for grant in grants:
        resources = (
            [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"]
            if grant.prefix is None
            else [f"arn:aws:s3:::{bucket}/{grant.prefix}/*"]
        )
        statements.append(
            {
                "Sid": grant.sid,
                "Effect": "Allow",
                "Principal": {"CanonicalUser": grant.principal},
                "Action": list(grant.actions),
                "Resource": resources,
            }
        )
    return json.dumps({"Version": "2012-10-17", "Statement": statements})


def _people(deployer: str, operators: tuple[str, ...], part: str) -> list[Grant]:
    grants = [Grant("Deployer", member_id(deployer), DEPLOYER_ACCESS)]
    if part in OPERATOR_ACCESS:
        grants += [
            Grant(f"Operator{i}", member_id(m), OPERATOR_ACCESS[part])
            for i, m in enumerate(operators, 1)
        ]
    return grants


def _accounts(
    part: str, args: BucketsArgs
) -> list[tuple[str, pulumi.Input[str], tuple[str, ...], str | None]]:
    """The stack's own accounts' grants on ``part``: (sid, account id, actions, prefix)."""
    grants: list[tuple[str, pulumi.Input[str], tuple[str, ...], str | None]] = []
    if part in JOBS_ACCESS:
        grants.append(("JobsFunction", args.jobs_account_id, JOBS_ACCESS[part], None))
    if part == "reports":
        # Another account's access to one prefix only (CSV exports, drawn rounds, photos).
        for sid, account, actions, prefix in (
            ("CsvExport", args.exporter_account_id, EXPORTS_ACCESS, EXPORTS_PREFIX),
            ("GatewayReadsDraws", args.gateway_account_id, GATEWAY_ACCESS, DRAWS_PREFIX),
            ("HttpPutsReceipts", args.receipts_account_id, RECEIPTS_ACCESS, RECEIPTS_PREFIX),
        ):
            if account is not None:
                grants.append((sid, account, actions, prefix))
    return grants


def _policy(bucket: str, part: str, args: BucketsArgs) -> pulumi.Output[str]:
    accounts = _accounts(part, args)
    people = _people(args.deployer, args.operators, part)
    return pulumi.Output.all(*(a[1] for a in accounts)).apply(
        lambda ids: bucket_policy(
            bucket,
            [
                Grant(sid, str(i), actions, prefix)
                for (sid, _, actions, prefix), i in zip(accounts, ids, strict=True)
            ]
            + people,
        )
    )


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
    deployer: str = ""
    """The IAM member that deploys the stack (``serviceAccount:ID``...): all rights on every
    bucket, so that its refreshes, site uploads and ``down`` are not locked out."""
    operators: tuple[str, ...] = ()
    """``infrastructure.yandex.operators``: see :data:`OPERATOR_ACCESS`."""


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
            policy=bucket_policy(
                site_name, _people(args.deployer, args.operators, "site"), public_read=True
            ),
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

        # One binding per role: a binding is authoritative for its role on the key, so
        # two bindings of one role would each remove the other's members.
        members: dict[str, list[pulumi.Input[str]]] = {}
        for role, account_id in (
            # Writing to an SSE-KMS bucket encrypts with the key: jobs needs both ways.
            ("kms.keys.encrypterDecrypter", args.jobs_account_id),
            # PutObject into an SSE-KMS bucket encrypts; a single PUT needs nothing more.
            ("kms.keys.encrypter", args.exporter_account_id),
            # GetObject from an SSE-KMS bucket decrypts: the gateway needs that and no more.
            ("kms.keys.decrypter", args.gateway_account_id),
            # One PutObject per photo encrypts only: no decrypt role, no reading back.
            ("kms.keys.encrypter", args.receipts_account_id),
        ):
            if account_id is not None:
                members.setdefault(role, []).append(
                    pulumi.Output.concat("serviceAccount:", account_id)
                )
        # Operators put print files and read reports and archives.
        if args.operators:
            members.setdefault("kms.keys.encrypterDecrypter", []).extend(args.operators)
        for role, granted in members.items():
            yandex.KmsSymmetricKeyIamBinding(
                f"storage-key-{role.removeprefix('kms.keys.').lower()}",
                symmetric_key_id=self.key.id,
                role=role,
                members=granted,
                opts=child,
            )
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
            policy = _policy(bucket, part, args)
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
