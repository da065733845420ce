"""The whole Yandex program under Pulumi's mocks, for every example."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pulumi_yandex
import pytest

from campaignctl.stack.yandex.buckets import OPERATOR_ACCESS
from campaignctl.stack.yandex.naming import RUSSIAN_ZONES
from campaignctl.stack.yandex.offline import (
    PLACEHOLDER_DEPLOYER,
    OfflineStack,
    PlannedResource,
    is_secret,
    run_offline,
)
from tests.stack.conftest import MAIN, NAMES, example

# Hand-derived from each campaign: functions = http + jobs + relay + one per
# queue worker (crm when a CRM is synced, sms when SMS registration is on);
# triggers = one per queue + the daily report + one per draw + the draws'
# catch-up (campaigns with draws) + the relay's every-minute timer; accounts = functions + gateway + trigger; KMS keys = one
# per function + storage; ciphertexts = the secrets each function reads (see
# test_secrets_each_function_reads; with codes, the workers read the key ring
# that seals the queued messages).
EXPECTED: dict[str, dict[str, int]] = {
    "receipt-draw": {  # webhook CRM, hotline, captcha, domain, 4 draws
        "yandex:Function": 4,
        "yandex:MessageQueue": 2,
        "yandex:FunctionTrigger": 1 + 1 + 4 + 1 + 1,
        "yandex:IamServiceAccount": 6,
        "yandex:KmsSymmetricKey": 5,
        # http 6, crm 3, jobs 3, relay 2 (db password, static key - http's for the
        # receipt photos; the key ring goes to http, crm and jobs even without
        # codes: it seals personal data)
        "yandex:KmsSecretCiphertext": 14,
        "yandex:StorageBucket": 4,
        "yandex:MdbMysqlCluster": 1,
        "yandex:ApiGateway": 1,
        "yandex:DnsZone": 1,
        "yandex:CdnResource": 1,
    },
    "bottle-caps": {  # amoCRM, SMS, hotline, codes, 13 draws, no domain
        "yandex:Function": 5,
        "yandex:MessageQueue": 4,
        "yandex:FunctionTrigger": 2 + 1 + 13 + 1 + 1,
        "yandex:IamServiceAccount": 7,
        "yandex:KmsSymmetricKey": 6,
        # http 5, crm 3, sms 2, jobs 3, relay 2
        "yandex:KmsSecretCiphertext": 15,
        "yandex:StorageBucket": 4,
        "yandex:MdbMysqlCluster": 1,
        "yandex:ApiGateway": 1,
        "yandex:DnsZone": 0,
        "yandex:CdnResource": 0,
    },
    "loyalty-gift": {  # Bitrix24, hotline, no draws, no domain
        "yandex:Function": 4,
        "yandex:MessageQueue": 2,
        "yandex:FunctionTrigger": 1 + 1 + 1,
        "yandex:IamServiceAccount": 6,
        "yandex:KmsSymmetricKey": 5,
        # http 4, crm 3, jobs 3, relay 2 (the key ring, codes or not)
        "yandex:KmsSecretCiphertext": 12,
        "yandex:StorageBucket": 4,
        "yandex:MdbMysqlCluster": 1,
        "yandex:ApiGateway": 1,
        "yandex:DnsZone": 0,
        "yandex:CdnResource": 0,
    },
}


def test_every_example_is_covered() -> None:
    assert sorted(EXPECTED) == sorted(NAMES)
    assert MAIN in NAMES
    assert example(MAIN).infrastructure.yandex is not None


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_resource_types_and_counts(stacks: dict[str, OfflineStack], name: str) -> None:
    counts = Counter(r.short_type for r in stacks[name].cloud_resources)
    assert {t: counts[t] for t in EXPECTED[name]} == EXPECTED[name]


def _buckets(stack: OfflineStack) -> dict[str, PlannedResource]:
    return {r.name: r for r in stack.of_type("yandex:StorageBucket")}


DEPLOYER_ID = PLACEHOLDER_DEPLOYER.partition(":")[2]


def _deployer(bucket: str) -> dict[str, Any]:
    return {
        "Sid": "Deployer",
        "Effect": "Allow",
        "Principal": {"CanonicalUser": DEPLOYER_ID},
        "Action": ["*"],
        "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
    }


def _key_roles(stack: OfflineStack) -> dict[str, list[str]]:
    """Members of each role on the storage key: one binding per role, or they fight."""
    bindings = [
        b.inputs
        for b in stack.of_type("yandex:KmsSymmetricKeyIamBinding")
        if b.inputs["symmetricKeyId"] == "storage-key-id"
    ]
    roles = [b["role"] for b in bindings]
    assert len(roles) == len(set(roles)), roles
    return {b["role"]: b["members"] for b in bindings}


def test_site_bucket_is_public_read_for_objects_only(stack: OfflineStack) -> None:
    site = _buckets(stack)["site"]
    assert "website" in site.inputs
    assert site.inputs.get("acl") in (None, "private")  # no public-read ACL: no listing
    public, deployer = json.loads(site.inputs["policy"])["Statement"]
    assert public["Effect"] == "Allow"
    assert public["Principal"] == "*"
    assert public["Action"] == "s3:GetObject"
    assert public["Resource"] == f"arn:aws:s3:::{site.inputs['bucket']}/*"
    # The deployer uploads the site: a policy denies whatever no statement allows.
    assert deployer == _deployer(site.inputs["bucket"])


def test_other_buckets_are_private_versioned_and_encrypted(stack: OfflineStack) -> None:
    others = {k: v for k, v in _buckets(stack).items() if k != "site"}
    assert sorted(others) == ["archives", "print-files", "reports"]
    for bucket in others.values():
        i = bucket.inputs
        assert i["acl"] == "private"
        assert "website" not in i
        assert i["versioning"]["enabled"] is True
        sse = i["serverSideEncryptionConfiguration"]["rule"]["applyServerSideEncryptionByDefault"]
        assert sse["sseAlgorithm"] == "aws:kms"
        assert sse["kmsMasterKeyId"] == "storage-key-id"
        assert i["lifecycleRules"], bucket.name
        statements = json.loads(i["policy"])["Statement"]
        assert _deployer(i["bucket"]) in statements  # every bucket lets its deployer in
        for statement in statements:
            assert statement["Principal"] != "*"
            if statement["Sid"] in ("GatewayReadsDraws", "HttpPutsReceipts"):  # tested below
                assert bucket.name == "reports"
                continue
            if statement["Sid"] == "Deployer":
                continue
            assert bucket.name != "print-files"  # no function touches the print files
            assert statement["Principal"] == {"CanonicalUser": "sa-jobs-id"}


def test_the_gateway_may_only_read_the_draws_files(stack: OfflineStack) -> None:
    buckets = _buckets(stack)
    reports = buckets["reports"]
    gateway = [
        s
        for s in json.loads(reports.inputs["policy"])["Statement"]
        if s["Principal"] == {"CanonicalUser": "sa-gateway-id"}
    ]
    assert gateway == [
        {
            "Sid": "GatewayReadsDraws",
            "Effect": "Allow",
            "Principal": {"CanonicalUser": "sa-gateway-id"},
            "Action": ["s3:GetObject"],
            "Resource": [f"arn:aws:s3:::{reports.inputs['bucket']}/draws/*"],
        }
    ]
    for name, bucket in buckets.items():
        if name != "reports" and "policy" in bucket.inputs:
            assert "sa-gateway-id" not in bucket.inputs["policy"], name
    roles = _key_roles(stack)
    assert roles["kms.keys.decrypter"] == ["serviceAccount:sa-gateway-id"]
    # The gateway decrypts the storage key only: no other role, no function's secrets key.
    for binding in stack.of_type("yandex:KmsSymmetricKeyIamBinding"):
        if binding.inputs["role"] != "kms.keys.decrypter" or (
            binding.inputs["symmetricKeyId"] != "storage-key-id"
        ):
            assert "serviceAccount:sa-gateway-id" not in binding.inputs["members"], binding.name


def test_operators_reach_the_private_buckets_and_nothing_more() -> None:
    campaign = example(MAIN)
    assert campaign.infrastructure.yandex is not None
    operators = ("userAccount:ajeq8vbqpt3rk4mrwa5b", "federatedUser:ajefederated00000001")
    target = replace(campaign.infrastructure.yandex, operators=operators)
    stack = run_offline(
        replace(campaign, infrastructure=replace(campaign.infrastructure, yandex=target))
    )
    buckets = _buckets(stack)
    for name, actions in OPERATOR_ACCESS.items():
        bucket = buckets[name].inputs["bucket"]
        granted = [
            s
            for s in json.loads(buckets[name].inputs["policy"])["Statement"]
            if s["Sid"].startswith("Operator")
        ]
        assert granted == [
            {
                "Sid": f"Operator{i}",
                "Effect": "Allow",
                "Principal": {"CanonicalUser": member.partition(":")[2]},
                "Action": list(actions),
                "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
            }
            for i, member in enumerate(operators, 1)
        ]
        assert not [a for s in granted for a in s["Action"] if "Delete" in a or a == "*"]
    assert "ajeq8vbqpt3rk4mrwa5b" not in buckets["site"].inputs["policy"]
    roles = _key_roles(stack)
    assert roles["kms.keys.encrypterDecrypter"] == ["serviceAccount:sa-jobs-id", *operators]


def test_every_queue_has_a_dead_letter_queue(stack: OfflineStack) -> None:
    queues = {q.inputs["name"]: q for q in stack.of_type("yandex:MessageQueue")}
    dead = {n for n in queues if n.endswith("-dlq")}
    live = set(queues) - dead
    assert live
    assert {f"{n}-dlq" for n in live} == dead
    for name in live:
        policy = json.loads(queues[name].inputs["redrivePolicy"])
        assert policy["deadLetterTargetArn"].endswith(f":{name}-dlq")
        assert policy["maxReceiveCount"] >= 1
    triggers = [t for t in stack.of_type("yandex:FunctionTrigger") if "messageQueue" in t.inputs]
    queue_ids = [t.inputs["messageQueue"]["queueId"] for t in triggers]
    assert len(queue_ids) == len(set(queue_ids)) == len(live)  # one trigger per queue


def _roles(stack: OfflineStack) -> Iterator[tuple[str, str]]:
    for r in stack.cloud_resources:
        if "role" in r.inputs:
            yield r.name, r.inputs["role"]


def test_no_admin_or_editor_role(stack: OfflineStack) -> None:
    roles = dict(_roles(stack))
    assert roles
    for name, role in roles.items():
        assert role.split(".")[-1] not in {"admin", "editor", "owner"}, (name, role)
        assert role not in {"admin", "editor", "owner", "viewer"}, (name, role)
    folder = {
        (r.name, r.inputs["role"]) for r in stack.of_type("yandex:ResourcemanagerFolderIamMember")
    }
    # Only the relay writes to the queues (http commits to the outbox), only the
    # triggers' account reads them.
    assert folder == {
        ("sa-relay-ymq-writer", "ymq.writer"),
        ("sa-trigger-ymq-reader", "ymq.reader"),
    }


def test_only_the_relay_knows_the_queues(stack: OfflineStack) -> None:
    queues = {
        q.name: q for q in stack.of_type("yandex:MessageQueue") if not q.name.endswith("-dlq")
    }
    for function in stack.of_type("yandex:Function"):
        urls = {k for k in function.inputs["environment"] if k.startswith("CAMPAIGNCTL_QUEUE_URL_")}
        expected = {f"CAMPAIGNCTL_QUEUE_URL_{q.upper()}" for q in queues}
        assert urls == (expected if function.name == "relay" else set()), function.name
    (relay,) = [f for f in stack.of_type("yandex:Function") if f.name == "relay"]
    assert relay.inputs["entrypoint"] == "campaignctl.stack.yandex.handler.relay"
    assert int(relay.inputs["executionTimeout"]) <= 60


def test_each_function_runs_as_its_own_account(stack: OfflineStack) -> None:
    for function in stack.of_type("yandex:Function"):
        assert function.inputs["serviceAccountId"] == f"sa-{function.name}-id"


def _walk(value: Any, path: str = "") -> Iterator[tuple[str, Any, bool]]:
    """(path, leaf, inside a Pulumi secret) for every leaf of an input tree."""
    if is_secret(value):
        for sub, leaf, _ in _walk(value["value"], path):
            yield sub, leaf, True
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _walk(v, f"{path}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _walk(v, f"{path}[{i}]")
    else:
        yield path, value, False


# Where a secret may be an input at all, and only as a Pulumi secret.
SECRET_SINKS = {
    ("yandex:KmsSecretCiphertext", ".plaintext"),
    ("yandex:MdbMysqlCluster", ".users[0].password"),
}


def test_no_secret_in_plain_text_in_any_input(stack: OfflineStack) -> None:
    assert stack.secret_values  # generated config secrets and the mocked static keys
    sinks_used = set()
    for r in stack.resources:
        for path, leaf, secret in _walk(dict(r.inputs)):
            if not isinstance(leaf, str):
                continue
            leaked = [s for s in stack.secret_values if s in leaf]
            if leaked:
                assert secret, f"{r.short_type} {r.name}{path} holds a secret in plain text"
                assert (r.short_type, path) in SECRET_SINKS, (r.short_type, r.name, path)
                sinks_used.add((r.short_type, path))
    assert sinks_used == SECRET_SINKS
    for function in stack.of_type("yandex:Function"):
        for name, value in function.inputs["environment"].items():
            assert not is_secret(value), name


def test_static_keys_mark_their_secret_output(stack: OfflineStack) -> None:
    keys = stack.of_type("yandex:IamServiceAccountStaticAccessKey")
    expected = ["sa-jobs-static-key", "sa-relay-static-key"]
    receipts = stack.campaign.mechanics.receipts
    if receipts is not None and receipts.photo_upload:  # http puts the photos
        expected = ["sa-http-static-key", *expected]
    assert sorted(k.name for k in keys) == expected
    for key in keys:
        assert "secretKey" in key.secret_outputs  # the engine sees the wire name


def test_secrets_each_function_reads(stacks: dict[str, OfflineStack]) -> None:
    env = {
        f.name: sorted(k for k in f.inputs["environment"] if k.startswith("CAMPAIGNCTL_SECRET_"))
        for f in stacks[MAIN].of_type("yandex:Function")
    }
    prefix = "CAMPAIGNCTL_SECRET_"
    # The receipt campaign has no codes, but its key ring still seals personal data
    # and queued messages, so every function that opens them gets it.
    assert env == {
        "http": [
            f"{prefix}{s}"
            for s in (
                "ADMIN_TOKEN",
                "CAPTCHA_SECRET",
                "CODES_KEY",
                "DB_PASSWORD",
                "HOTLINE_WEBHOOK_SECRET",
                "STATIC_SECRET_KEY",
            )
        ],
        "crm": [f"{prefix}CODES_KEY", f"{prefix}CRM_SECRET", f"{prefix}DB_PASSWORD"],
        "jobs": [f"{prefix}CODES_KEY", f"{prefix}DB_PASSWORD", f"{prefix}STATIC_SECRET_KEY"],
        "relay": [f"{prefix}DB_PASSWORD", f"{prefix}STATIC_SECRET_KEY"],
    }
    decrypters = {
        b.name: b.inputs["members"]
        for b in stacks[MAIN].of_type("yandex:KmsSymmetricKeyIamBinding")
    }
    for role in env:
        assert decrypters[f"secrets-{role}-decrypter"] == [f"serviceAccount:sa-{role}-id"]


def test_every_resource_that_takes_labels_has_them(stack: OfflineStack) -> None:
    target = stack.campaign.infrastructure.yandex
    assert target is not None
    expected = {"campaign": stack.campaign.slug, "managed-by": "campaignctl"}
    if target.owner:
        expected["owner"] = target.owner
    if target.cost_center:
        expected["cost-center"] = target.cost_center
    labelled = 0
    for r in stack.cloud_resources:
        kind = r.short_type.split(":")[1]
        args = getattr(pulumi_yandex, f"{kind}Args")
        if "labels" in args.__init__.__code__.co_varnames:
            assert r.inputs.get("labels") == expected, r.name
            labelled += 1
        elif "name" in r.inputs:  # no labels in 0.13: the name carries the slug
            assert stack.campaign.slug in str(r.inputs["name"]), r.name
    assert labelled >= 10


def test_zone_and_region_are_russian(stack: OfflineStack) -> None:
    (provider,) = stack.of_type("pulumi:providers:yandex")
    assert provider.inputs["zone"] in RUSSIAN_ZONES
    for r in stack.cloud_resources:
        for path, leaf, _ in _walk(dict(r.inputs)):
            if path.endswith((".zone", "zone")) and r.short_type != "yandex:DnsZone":
                assert leaf in RUSSIAN_ZONES, (r.name, path, leaf)
            if isinstance(leaf, str) and leaf.startswith("yrn:yc:"):
                assert ":ru-central1:" in leaf


def test_protected_resources(stack: OfflineStack) -> None:
    protected = {r.name for r in stack.resources if r.protect}
    assert protected == {"mysql", "archives"}
    (cluster,) = stack.of_type("yandex:MdbMysqlCluster")
    assert cluster.inputs["deletionProtection"] is True
    assert all(h["assignPublicIp"] for h in cluster.inputs["hosts"])


def test_components_parent_their_resources(stack: OfflineStack) -> None:
    components = {
        r.name for r in stack.resources if not r.custom and r.type.startswith("campaignctl:")
    }
    assert {
        "identities",
        "buckets",
        "database",
        "queues",
        "vault",
        "functions",
        "api",
        "triggers",
    } <= components
    for r in stack.cloud_resources:
        assert r.parent in components, (r.short_type, r.name, r.parent)


def test_outputs_for_the_operator(stacks: dict[str, OfflineStack]) -> None:
    main = stacks[MAIN].outputs
    assert main["site_url"] == "https://udacha.berezka-market.ru"
    assert main["hotline_number"] == "8-800-250-54-54"
    assert main["hotline_webhook_url"] == "https://udacha.berezka-market.ru/api/v1/hotline/webhook"
    assert main["hotline_webhook_secret"] == "[secret]"
    caps = stacks["bottle-caps"].outputs
    assert caps["sms_short_number"] == "7373"
    assert caps["sms_webhook_url"] == f"{caps['api_url']}/api/v1/sms/inbound"
    assert caps["sms_webhook_secret"] == "[secret]"


@pytest.fixture(scope="module")
def csv_stack() -> OfflineStack:
    """The main example with a CRM that imports files: the relay writes the CSV exports."""
    campaign = example(MAIN)
    assert campaign.crm is not None
    return run_offline(replace(campaign, crm=replace(campaign.crm, target="csv")))


def test_only_a_csv_crm_lets_the_relay_put_exports(
    stacks: dict[str, OfflineStack], csv_stack: OfflineStack
) -> None:
    for stack in (*stacks.values(), csv_stack):
        relay = next(f for f in stack.of_type("yandex:Function") if f.name == "relay")
        reports = next(b for b in stack.of_type("yandex:StorageBucket") if b.name == "reports")
        statements = json.loads(reports.inputs["policy"])["Statement"]
        if stack is not csv_stack:
            assert "CAMPAIGNCTL_BUCKET_REPORTS" not in relay.inputs["environment"]
            assert [s["Sid"] for s in statements if s["Sid"] != "HttpPutsReceipts"] == [
                "JobsFunction",
                "GatewayReadsDraws",
                "Deployer",
            ]
            assert "serviceAccount:sa-relay-id" not in str(_key_roles(stack))
            continue
        assert (
            relay.inputs["environment"]["CAMPAIGNCTL_BUCKET_REPORTS"] == (reports.inputs["bucket"])
        )
        jobs, export = statements[:2]
        assert jobs["Principal"] == {"CanonicalUser": "sa-jobs-id"}
        # Put, under crm-exports/ only: no reading, no listing, no other prefix.
        assert export["Principal"] == {"CanonicalUser": "sa-relay-id"}
        assert export["Action"] == ["s3:PutObject"]
        assert export["Resource"] == [f"arn:aws:s3:::{reports.inputs['bucket']}/crm-exports/*"]
        # The relay and the http function (this example takes photos) both encrypt: one
        # binding holds both, where two bindings of the role would remove each other.
        assert _key_roles(stack)["kms.keys.encrypter"] == [
            "serviceAccount:sa-relay-id",
            "serviceAccount:sa-http-id",
        ]


def test_the_http_account_may_only_put_receipt_photos(stacks: dict[str, OfflineStack]) -> None:
    for name, stack in stacks.items():
        photos = name == MAIN  # the only example that takes receipt photos
        http = next(f for f in stack.of_type("yandex:Function") if f.name == "http")
        env = http.inputs["environment"]
        buckets = _buckets(stack)
        reports = buckets["reports"]
        bindings = {b.name: b.inputs for b in stack.of_type("yandex:KmsSymmetricKeyIamBinding")}
        grants = [
            s
            for s in json.loads(reports.inputs["policy"])["Statement"]
            if s["Principal"] == {"CanonicalUser": "sa-http-id"}
        ]
        for other, bucket in buckets.items():
            if other != "reports" and "policy" in bucket.inputs:
                assert "sa-http-id" not in bucket.inputs["policy"], (name, other)
        # On every key but the storage key's encrypter binding, http is only its
        # own secrets' decrypter.
        for binding, inputs in bindings.items():
            if binding not in ("storage-key-encrypter", "secrets-http-decrypter"):
                assert "serviceAccount:sa-http-id" not in inputs["members"], (name, binding)
        encrypters = _key_roles(stack).get("kms.keys.encrypter", [])
        if not photos:
            assert grants == [], name
            assert "serviceAccount:sa-http-id" not in encrypters, name
            assert "CAMPAIGNCTL_BUCKET_REPORTS" not in env, name
            assert "CAMPAIGNCTL_STATIC_ACCESS_KEY_ID" not in env, name
            continue
        assert grants == [
            {
                "Sid": "HttpPutsReceipts",
                "Effect": "Allow",
                "Principal": {"CanonicalUser": "sa-http-id"},
                "Action": ["s3:PutObject"],
                "Resource": [f"arn:aws:s3:::{reports.inputs['bucket']}/receipts/*"],
            }
        ]
        assert encrypters == ["serviceAccount:sa-http-id"]
        assert env["CAMPAIGNCTL_BUCKET_REPORTS"] == reports.inputs["bucket"]
        assert env["CAMPAIGNCTL_STATIC_ACCESS_KEY_ID"]
        assert "CAMPAIGNCTL_SECRET_STATIC_SECRET_KEY" in env  # the secret half, KMS-sealed
