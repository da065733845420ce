"""Service accounts: one per function and one each for the gateway and the triggers.

Each gets the least it needs. Folder-wide roles only where Yandex offers no
narrower grant (Message Queue has no per-queue IAM in pulumi-yandex 0.13);
function invocation is granted per function (:mod:`.api`, :mod:`.triggers`),
bucket access per bucket by policy (:mod:`.buckets`), decryption per key
(:mod:`.vault`). Never ``admin`` or ``editor``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pulumi
import pulumi_yandex as yandex

from campaignctl.stack.yandex.naming import Naming

FOLDER_ROLES: dict[str, tuple[str, ...]] = {
    "relay": ("ymq.writer",),  # moves CRM sync and SMS replies from the outbox to the queues
    "trigger": ("ymq.reader",),  # reads the queues for the queue triggers
}
"""Folder-level roles by account; the other accounts have none at folder level. The http
function writes its messages to the outbox in the database, never to a queue itself."""
STATIC_KEYS = ("relay", "jobs")
"""Accounts that call an AWS-compatible API (SQS: relay; S3: jobs) and need a static key;
``http`` too when the campaign takes receipt photos (S3, ``receipts/*`` only)."""


@dataclass(frozen=True)
class StaticKey:
    access_key: pulumi.Output[str]
    secret_key: pulumi.Output[str]
    """Marked secret through ``additional_secret_outputs``: the SDK marks no output secret."""


@dataclass(frozen=True)
class IdentitiesArgs:
    naming: Naming
    accounts: tuple[str, ...]
    """Account names: the function roles plus ``gateway`` and ``trigger``."""
    static_keys: tuple[str, ...] = STATIC_KEYS


class Identities(pulumi.ComponentResource):
    accounts: dict[str, yandex.IamServiceAccount]
    static_keys: dict[str, StaticKey]

    def __init__(self, name: str, args: IdentitiesArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("campaignctl:yandex:Identities", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        n = args.naming
        self.accounts = {}
        self.static_keys = {}
        for account in args.accounts:
            sa = yandex.IamServiceAccount(
                f"sa-{account}",
                name=n.name(f"sa-{account}"),
                description=f"{account} of campaign {n.slug} (campaignctl)",
                folder_id=n.target.folder_id,
                opts=child,
            )
            self.accounts[account] = sa
            for role in FOLDER_ROLES.get(account, ()):
                yandex.ResourcemanagerFolderIamMember(
                    f"sa-{account}-{role.replace('.', '-')}",
                    folder_id=n.target.folder_id,
                    role=role,
                    member=pulumi.Output.concat("serviceAccount:", sa.id),
                    opts=child,
                )
            if account in args.static_keys:
                key = yandex.IamServiceAccountStaticAccessKey(
                    f"sa-{account}-static-key",
                    service_account_id=sa.id,
                    description=f"AWS-compatible API access of {account} ({n.slug})",
                    opts=pulumi.ResourceOptions(
                        parent=self, additional_secret_outputs=["secret_key"]
                    ),
                )
                self.static_keys[account] = StaticKey(key.access_key, key.secret_key)
        self.register_outputs({name: sa.id for name, sa in self.accounts.items()})

    def ids(self, names: Iterable[str]) -> dict[str, pulumi.Output[str]]:
        return {name: self.accounts[name].id for name in names}
