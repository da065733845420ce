"""Cloud Functions: the same runtime code as the local server, one function per role.

``http`` serves the API and the SMS/hotline webhooks behind the API Gateway;
``relay`` moves the outbox into Message Queue every minute; ``crm`` and ``sms``
are queue workers; ``jobs`` runs the daily report and the draws on timers. All share one package (:mod:`.package`); the entry point and
``CAMPAIGNCTL_ROLE`` say which part of the runtime a function runs. Secrets
arrive only as KMS ciphertexts (``CAMPAIGNCTL_SECRET_<NAME>``) with the key id
to decrypt them (``CAMPAIGNCTL_KMS_KEY_ID``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pulumi
import pulumi_yandex as yandex

from campaignctl.stack.yandex.naming import (
    FUNCTION_RUNTIME,
    HTTP_ENTRYPOINT,
    QUEUE_ENTRYPOINT,
    RELAY_ENTRYPOINT,
    TIMER_ENTRYPOINT,
    Naming,
)
from campaignctl.stack.yandex.package import CAMPAIGN_DIR, FunctionBundle


@dataclass(frozen=True)
class Shape:
    entrypoint: str
    memory_mb: int
    timeout_s: int
    description: str


SHAPES: dict[str, Shape] = {
    "http": Shape(HTTP_ENTRYPOINT, 256, 10, "API, registration, SMS and hotline webhooks"),
    "crm": Shape(QUEUE_ENTRYPOINT, 128, 60, "CRM sync worker (queue trigger)"),
    "sms": Shape(QUEUE_ENTRYPOINT, 128, 60, "SMS reply worker (queue trigger)"),
    "jobs": Shape(TIMER_ENTRYPOINT, 512, 600, "daily report and draws (timer triggers)"),
    "relay": Shape(RELAY_ENTRYPOINT, 128, 60, "outbox relay to Message Queue (every minute)"),
}


def secret_variable(secret: str) -> str:
    return f"CAMPAIGNCTL_SECRET_{secret.upper()}"


@dataclass(frozen=True)
class FunctionSpec:
    role: str
    service_account_id: pulumi.Input[str]
    kms_key_id: pulumi.Input[str]
    ciphertexts: Mapping[str, pulumi.Output[str]]
    settings: Mapping[str, pulumi.Input[str]]
    """Plain, non-secret settings: hosts, queue URLs, bucket names, key ids."""


@dataclass(frozen=True)
class FunctionsArgs:
    naming: Naming
    bundle: FunctionBundle
    functions: tuple[FunctionSpec, ...]


class Functions(pulumi.ComponentResource):
    functions: dict[str, yandex.Function]

    def __init__(self, name: str, args: FunctionsArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("campaignctl:yandex:Functions", name, None, opts)
        n = args.naming
        self.functions = {}
        for spec in args.functions:
            shape = SHAPES[spec.role]
            environment: dict[str, pulumi.Input[str]] = {
                "CAMPAIGNCTL_ROLE": spec.role,
                "CAMPAIGNCTL_CAMPAIGN": f"{CAMPAIGN_DIR}/campaign.yaml",
                "CAMPAIGNCTL_KMS_KEY_ID": spec.kms_key_id,
                **spec.settings,
                **{secret_variable(s): c for s, c in sorted(spec.ciphertexts.items())},
            }
            self.functions[spec.role] = yandex.Function(
                spec.role,
                name=n.name(spec.role),
                description=f"{shape.description} of {n.slug}",
                runtime=FUNCTION_RUNTIME,
                entrypoint=shape.entrypoint,
                memory=shape.memory_mb,
                execution_timeout=str(shape.timeout_s),
                service_account_id=spec.service_account_id,
                environment=environment,
                content=yandex.FunctionContentArgs(zip_filename=str(args.bundle.path)),
                user_hash=args.bundle.sha256,
                labels=n.labels,
                folder_id=n.target.folder_id,
                opts=pulumi.ResourceOptions(parent=self),
            )
        self.register_outputs({r: f.id for r, f in self.functions.items()})
