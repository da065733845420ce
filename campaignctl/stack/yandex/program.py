"""The Yandex Cloud stack of a campaign: one function shared by `pulumi up` and the Automation API.

``stacks/yandex/__main__.py`` loads the campaign named by ``campaignctl:campaign``
and calls :func:`yandex_program`; :mod:`.deploy` passes the same function to the
Automation API as an inline program; :mod:`.offline` runs it under Pulumi's mocks.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pulumi
import pulumi_yandex as yandex

from campaignctl.model import Campaign
from campaignctl.stack.yandex import database as db
from campaignctl.stack.yandex.api import Api, ApiArgs
from campaignctl.stack.yandex.buckets import Buckets, BucketsArgs
from campaignctl.stack.yandex.domain import YANDEX_NAME_SERVERS, Domain, DomainArgs
from campaignctl.stack.yandex.functions import Functions, FunctionsArgs, FunctionSpec
from campaignctl.stack.yandex.identities import STATIC_KEYS, Identities, IdentitiesArgs
from campaignctl.stack.yandex.naming import (
    CONFIG_NAMESPACE,
    Naming,
    naming,
    queue_url_variable,
)
from campaignctl.stack.yandex.openapi import HOTLINE_WEBHOOK_PATH, SMS_INBOUND_PATH
from campaignctl.stack.yandex.package import build_bundle
from campaignctl.stack.yandex.queues import Queues, QueuesArgs, workers
from campaignctl.stack.yandex.schedule import timers
from campaignctl.stack.yandex.secrets import secret_specs
from campaignctl.stack.yandex.triggers import Triggers, TriggersArgs
from campaignctl.stack.yandex.vault import Reader, Vault, VaultArgs

UNPROTECT_KEY = "unprotect"
DEPLOYER_KEY = "deployer"
"""``campaignctl:deployer``: the IAM member that deploys (``serviceAccount:ID``), set by
:func:`campaignctl.stack.yandex.deploy.deploy` from the credentials it deploys with."""
STATIC_SECRET = "static_secret_key"  # noqa: S105 - a name, not a value
"""The sealed secret half of a function's static key (SQS for relay, S3 for jobs and, for
receipt photos, http)."""


@dataclass(frozen=True)
class StackConfig:
    secrets: dict[str, pulumi.Output[str]]
    certificate_id: str | None
    cdn_target: str | None
    protect: bool
    """``campaignctl:unprotect`` lifts protection before an explicit destroy (deploy.destroy)."""
    deployer: str


def read_config(campaign: Campaign, domain: str | None) -> StackConfig:
    """The stack's secrets and domain settings from Pulumi config (``campaignctl:*``)."""
    config = pulumi.Config(CONFIG_NAMESPACE)
    secrets = {spec.key: config.require_secret(spec.key) for spec in secret_specs(campaign)}
    certificate = config.require("certificate_id") if domain else None
    unprotect = config.get_bool(UNPROTECT_KEY) or False
    return StackConfig(
        secrets,
        certificate,
        config.get("cdn_target"),
        protect=not unprotect,
        deployer=config.require(DEPLOYER_KEY),
    )


def _readers(
    campaign: Campaign, roles: tuple[str, ...], ids: Identities, config: StackConfig
) -> dict[str, Reader]:
    readers = {}
    specs = secret_specs(campaign)
    for role in roles:
        secrets = {s.key: config.secrets[s.key] for s in specs if role in s.readers}
        if role in ids.static_keys:
            secrets[STATIC_SECRET] = ids.static_keys[role].secret_key
        readers[role] = Reader(ids.accounts[role].id, secrets)
    return readers


def exports_csv(campaign: Campaign) -> bool:
    """A CRM that imports files: the relay spools the rows and puts the CSV into the bucket."""
    return campaign.crm is not None and campaign.crm.target == "csv"


def takes_photos(campaign: Campaign) -> bool:
    """Receipt photos are accepted: the http function puts them into the reports bucket."""
    receipts = campaign.mechanics.receipts
    return receipts is not None and receipts.photo_upload


def _settings(
    role: str,
    ids: Identities,
    database: db.Database,
    queues: Queues,
    buckets: Buckets,
    csv_export: bool,
    photos: bool = False,
) -> dict[str, pulumi.Input[str]]:
    settings: dict[str, pulumi.Input[str]] = {
        "CAMPAIGNCTL_DB_HOST": database.host,
        "CAMPAIGNCTL_DB_NAME": db.DATABASE,
        "CAMPAIGNCTL_DB_USER": db.USER,
    }
    if role in ids.static_keys:
        settings["CAMPAIGNCTL_STATIC_ACCESS_KEY_ID"] = ids.static_keys[role].access_key
    if role == "relay":
        for worker, queue in sorted(queues.queues.items()):
            settings[queue_url_variable(worker)] = queue.id  # the queue's URL
        if csv_export:
            settings["CAMPAIGNCTL_BUCKET_REPORTS"] = buckets.private["reports"].bucket
    if role == "http" and photos:
        settings["CAMPAIGNCTL_BUCKET_REPORTS"] = buckets.private["reports"].bucket
    if role == "jobs":
        for part, bucket in sorted(buckets.private.items()):
            settings[f"CAMPAIGNCTL_BUCKET_{part.upper().replace('-', '_')}"] = bucket.bucket
    return settings


def _phone_outputs(
    campaign: Campaign, base: pulumi.Output[str], config: StackConfig
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    sms = campaign.channels.sms
    if sms is not None:
        out["sms_short_number"] = sms.short_number
        out["sms_keyword"] = sms.keyword or ""
        out["sms_webhook_url"] = pulumi.Output.concat(base, SMS_INBOUND_PATH)
        out["sms_webhook_secret"] = pulumi.Output.secret(config.secrets["sms_webhook_secret"])
    hotline = campaign.channels.hotline
    if hotline is not None:
        out["hotline_number"] = hotline.number
        out["hotline_webhook_url"] = pulumi.Output.concat(base, HOTLINE_WEBHOOK_PATH)
        out["hotline_webhook_secret"] = pulumi.Output.secret(
            config.secrets["hotline_webhook_secret"]
        )
    return out


def yandex_program(campaign: Campaign, artifacts: Path) -> dict[str, Any]:
    """Declare every resource of the campaign's stack; return the stack outputs.

    ``artifacts`` is where the function package is written (the campaign's
    state folder on deploy, a temporary folder for a plan).
    """
    n: Naming = naming(campaign)
    target = n.target
    config = read_config(campaign, target.domain)
    provider = yandex.Provider(
        "yandex", cloud_id=target.cloud_id, folder_id=target.folder_id, zone=target.zone
    )
    opts = pulumi.ResourceOptions(provider=provider)
    queue_workers = workers(campaign)
    roles = ("http", *queue_workers, "jobs", "relay")
    photos = takes_photos(campaign)
    static_keys = (*STATIC_KEYS, "http") if photos else STATIC_KEYS
    ids = Identities(
        "identities", IdentitiesArgs(n, (*roles, "gateway", "trigger"), static_keys), opts
    )
    csv_export = exports_csv(campaign)
    buckets = Buckets(
        "buckets",
        BucketsArgs(
            n,
            ids.accounts["jobs"].id,
            config.protect,
            exporter_account_id=ids.accounts["relay"].id if csv_export else None,
            gateway_account_id=ids.accounts["gateway"].id,
            receipts_account_id=ids.accounts["http"].id if photos else None,
            deployer=config.deployer,
            operators=target.operators,
        ),
        opts,
    )
    database = db.Database(
        "database",
        db.DatabaseArgs(
            n, config.secrets["db_password"], target.expected_requests_per_day, config.protect
        ),
        opts,
    )
    queues = Queues("queues", QueuesArgs(n, queue_workers), opts)
    vault = Vault("vault", VaultArgs(n, _readers(campaign, roles, ids, config)), opts)
    bundle = build_bundle(campaign, artifacts)
    functions = Functions(
        "functions",
        FunctionsArgs(
            n,
            bundle,
            tuple(
                FunctionSpec(
                    role,
                    ids.accounts[role].id,
                    vault.keys[role].id,
                    vault.ciphertexts[role],
                    _settings(role, ids, database, queues, buckets, csv_export, photos),
                )
                for role in roles
            ),
        ),
        opts,
    )
    fn = functions.functions
    api = Api(
        "api",
        ApiArgs(
            n,
            title=campaign.campaign.name,
            site_bucket=buckets.site.bucket,
            reports_bucket=buckets.private["reports"].bucket,
            http_function=fn["http"],
            service_account_id=ids.accounts["gateway"].id,
            sms=campaign.channels.sms is not None,
            hotline=campaign.channels.hotline is not None,
        ),
        opts,
    )
    Triggers(
        "triggers",
        TriggersArgs(
            n,
            service_account_id=ids.accounts["trigger"].id,
            queues=queues.queues,
            workers={w: fn[w] for w in queue_workers},
            jobs=fn["jobs"],
            relay=fn["relay"],
            timers=timers(campaign),
        ),
        opts,
    )
    outputs: dict[str, Any] = {
        "api_url": api.url,
        "site_bucket": buckets.site.bucket,
        **{f"{p.replace('-', '_')}_bucket": b.bucket for p, b in buckets.private.items()},
        "database_host": database.host,
        **{f"{w}_queue_url": q.id for w, q in queues.queues.items()},
        **{f"{w}_dead_letter_queue_url": q.id for w, q in queues.dead_letters.items()},
    }
    base = api.url
    if target.domain:
        Domain(
            "domain",
            DomainArgs(
                n,
                domain=target.domain,
                origin_host=api.gateway.domain,
                certificate_id=config.certificate_id or "",
                cdn_target=config.cdn_target,
            ),
            opts,
        )
        base = pulumi.Output.from_input(f"https://{target.domain}")
        outputs["name_servers"] = list(YANDEX_NAME_SERVERS)
    outputs["site_url"] = base
    outputs.update(_phone_outputs(campaign, base, config))
    return outputs
