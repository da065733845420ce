"""Run the stack program offline under Pulumi's mocks and record what it declares.

No pulumi CLI, no credentials, no network: :func:`run_offline` executes
:func:`~campaignctl.stack.yandex.program.yandex_program` against Pulumi's own
mock monitor, extended only to record each registration's options (protect,
additional secret outputs, parent). The mocks answer like the provider would
enough for the program to finish: ids, ARNs, queue URLs, the gateway's domain,
static keys and ciphertexts (never derived from the plaintext).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import secrets
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pulumi
from pulumi.runtime import mocks as pulumi_mocks
from pulumi.runtime import rpc
from pulumi.runtime.stack import run_pulumi_func
from pulumi.runtime.sync_await import _sync_await

from campaignctl.model import Campaign
from campaignctl.stack.yandex.naming import CONFIG_NAMESPACE, PROJECT, REGION, naming
from campaignctl.stack.yandex.program import DEPLOYER_KEY, yandex_program
from campaignctl.stack.yandex.secrets import GENERATED_LENGTH, secret_specs

# How Pulumi marks a secret value on the wire: {SIG_KEY: SECRET_SIG, "value": ...}.
SECRET_SIG_KEY: str = rpc._special_sig_key
SECRET_SIG: str = rpc._special_secret_sig
PLACEHOLDER_CERTIFICATE = "certificate-made-in-certificate-manager"
PLACEHOLDER_DEPLOYER = "serviceAccount:deployer-of-the-stack"
"""``campaignctl:deployer`` in a plan: deploy sets the real one from its credentials."""
_QUIET = logging.getLogger("campaignctl.stack.offline")
_QUIET.addHandler(logging.NullHandler())
_QUIET.propagate = False


def is_secret(value: object) -> bool:
    return isinstance(value, dict) and value.get(SECRET_SIG_KEY) == SECRET_SIG


@dataclass(frozen=True)
class PlannedResource:
    type: str
    """The full type token, e.g. ``yandex:index/messageQueue:MessageQueue``."""
    name: str
    inputs: Mapping[str, Any]
    """Inputs as the engine would see them; secrets stay wrapped (see :func:`is_secret`)."""
    custom: bool
    protect: bool
    parent: str
    """Logical name of the parent resource ("" for the stack)."""
    secret_outputs: tuple[str, ...]

    @property
    def short_type(self) -> str:
        """``yandex:MessageQueue``, ``campaignctl:yandex:Vault``, ``pulumi:providers:yandex``."""
        package, _, rest = self.type.partition(":")
        if package == "yandex":
            return f"yandex:{rest.rpartition(':')[2]}"
        return self.type


@dataclass(frozen=True)
class OfflineStack:
    campaign: Campaign
    resources: tuple[PlannedResource, ...]
    outputs: Mapping[str, Any]
    """Stack outputs; secret ones read ``[secret]``."""
    secret_values: frozenset[str]
    """Every secret value the run made up: config secrets and the mocked static keys."""

    def of_type(self, short_type: str) -> list[PlannedResource]:
        return [r for r in self.resources if r.short_type == short_type]

    @property
    def cloud_resources(self) -> list[PlannedResource]:
        """Resources the provider creates: no components, no provider."""
        return [r for r in self.resources if r.custom and r.type.startswith("yandex:")]


def _digest(*parts: str, length: int = 12) -> str:
    return hashlib.sha256("/".join(parts).encode()).hexdigest()[:length]


class _Mocks(pulumi.runtime.Mocks):
    def __init__(self, folder_id: str) -> None:
        self.folder_id = folder_id
        self.inputs: dict[tuple[str, str], dict[str, Any]] = {}
        self.secret_values: set[str] = set()

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        self.inputs[(args.typ, args.name)] = dict(args.inputs)
        kind = args.typ.rpartition(":")[2]
        state = dict(args.inputs)
        rid = f"{args.name}-id"  # readable in plans: serviceAccount:sa-http-id
        name = str(args.inputs.get("name", args.name))
        if kind == "MessageQueue":
            state["arn"] = f"yrn:yc:ymq:{REGION}:{self.folder_id}:{name}"
            rid = f"https://message-queue.api.cloud.yandex.net/{self.folder_id}/dj6000000000/{name}"
        elif kind == "IamServiceAccountStaticAccessKey":
            state["access_key"] = f"YCAJE{_digest(args.name, length=20)}"
            state["secret_key"] = secrets.token_urlsafe(30)
            self.secret_values.add(state["secret_key"])
        elif kind == "KmsSecretCiphertext":
            state["ciphertext"] = f"AAAAAQAAABQ{_digest('ciphertext', args.name, length=40)}"
        elif kind == "ApiGateway":
            state["domain"] = f"d5d{_digest(args.name, length=17)}.apigw.yandexcloud.net"
        elif kind == "MdbMysqlCluster":
            hosts = [
                {
                    **host,
                    "fqdn": f"rc1a-{_digest(args.name, str(i), length=16)}.mdb.yandexcloud.net",
                }
                for i, host in enumerate(args.inputs.get("hosts", []))
            ]
            state["hosts"] = hosts
        elif kind == "StorageBucket":
            state["bucket_domain_name"] = f"{name}.storage.yandexcloud.net"
            if "website" in args.inputs:
                state["website_endpoint"] = f"{args.inputs.get('bucket')}.website.yandexcloud.net"
        elif kind == "CdnOriginGroup":
            rid = str(int(_digest(args.name, length=6), 16))
        return rid, state

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], None]:
        return {}, None


class _Monitor(pulumi_mocks.MockMonitor):
    """Pulumi's mock monitor, also keeping each registration's resource options."""

    def __init__(self, mocks: _Mocks) -> None:
        super().__init__(mocks)
        self.registered: list[tuple[str, str, bool, bool, str, tuple[str, ...]]] = []

    def RegisterResource(self, request: Any) -> Any:
        if request.type != "pulumi:pulumi:Stack":
            parent = request.parent.rpartition("::")[2] if "$" in request.parent else ""
            self.registered.append(
                (
                    request.type,
                    request.name,
                    bool(request.custom),
                    bool(request.protect),
                    parent,
                    tuple(request.additionalSecretOutputs),
                )
            )
        return super().RegisterResource(request)  # type: ignore[no-untyped-call]


def _config(campaign: Campaign) -> tuple[dict[str, str], dict[str, str]]:
    """Config for the run: made-up secrets (returned apart) and placeholders."""
    made_up = {s.key: secrets.token_urlsafe(GENERATED_LENGTH) for s in secret_specs(campaign)}
    config = {f"{CONFIG_NAMESPACE}:{k}": v for k, v in made_up.items()}
    config[f"{CONFIG_NAMESPACE}:{DEPLOYER_KEY}"] = PLACEHOLDER_DEPLOYER
    if naming(campaign).target.domain:
        config[f"{CONFIG_NAMESPACE}:certificate_id"] = PLACEHOLDER_CERTIFICATE
    return config, made_up


async def _resolve(outputs: Mapping[str, Any]) -> dict[str, Any]:
    resolved: dict[str, Any] = {}
    for key, value in outputs.items():
        output = pulumi.Output.from_input(value)
        secret = await output.is_secret()
        resolved[key] = "[secret]" if secret else await output.future()
    return resolved


def _ensure_event_loop() -> None:
    """Give this thread an open event loop for Pulumi's runtime to await on.

    Pulumi uses the thread's current loop; an earlier ``asyncio.run`` in the same
    thread (a server, a test) leaves none set, or a closed one.
    """
    try:
        loop = asyncio.get_event_loop_policy().get_event_loop()
    except RuntimeError:
        loop = None
    if loop is None or loop.is_closed():
        asyncio.set_event_loop(asyncio.new_event_loop())


def run_offline(campaign: Campaign, artifacts: Path | None = None) -> OfflineStack:
    """Run the campaign's Yandex stack program under mocks and return what it declared."""
    _ensure_event_loop()
    target = naming(campaign).target
    config, made_up = _config(campaign)
    mocks = _Mocks(target.folder_id)
    monitor = _Monitor(mocks)
    pulumi.runtime.set_all_config(config, sorted(f"{CONFIG_NAMESPACE}:{k}" for k in made_up))
    pulumi.runtime.set_mocks(
        mocks, project=PROJECT, stack=campaign.slug, preview=False, logger=_QUIET, monitor=monitor
    )
    declared: dict[str, Any] = {}
    resolved: dict[str, Any] = {}
    try:
        with tempfile.TemporaryDirectory(prefix="campaignctl-plan-") as tmp:

            def program() -> None:
                declared.update(yandex_program(campaign, artifacts or Path(tmp)))

            async def outputs() -> None:
                resolved.update(await _resolve(declared))

            _sync_await(run_pulumi_func(program))
            _sync_await(run_pulumi_func(outputs))
    finally:
        pulumi.runtime.set_all_config({}, [])
    resources = tuple(
        PlannedResource(
            type=typ,
            name=name,
            inputs=mocks.inputs.get((typ, name), {}),
            custom=custom,
            protect=protect,
            parent=parent,
            secret_outputs=secret_outputs,
        )
        for typ, name, custom, protect, parent, secret_outputs in monitor.registered
    )
    return OfflineStack(
        campaign=campaign,
        resources=resources,
        outputs=resolved,
        secret_values=frozenset(made_up.values()) | frozenset(mocks.secret_values),
    )
