"""Which secrets the stack needs, where each comes from, and which functions read it.

No secret reaches a function as a plain environment variable: the stack
encrypts each with a KMS key (:mod:`campaignctl.stack.yandex.vault`) and the
function decrypts the ciphertext at cold start with its own service account.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from campaignctl.model import Campaign

Role = Literal["http", "crm", "sms", "jobs", "relay"]
"""The functions of the stack: API and webhooks, CRM sync worker, SMS worker, timed jobs,
the outbox relay."""
Source = Literal["generated", "env", "codes_key", "stack"]

GENERATED_LENGTH = 32
"""Bytes of randomness in a generated secret (URL-safe base64 when stored)."""


@dataclass(frozen=True)
class SecretSpec:
    key: str
    """Pulumi config key under ``campaignctl:``; also the secret's name for the function."""
    source: Source
    readers: frozenset[Role]
    description: str
    env: str | None = None
    """For ``env`` secrets: the variable named by the spec's ``secret_ref: env:NAME``."""


def _env_name(ref: str | None) -> str | None:
    """``env:NAME`` -> ``NAME``; other reference schemes are not resolved here."""
    if ref is None or not ref.startswith("env:"):
        return None
    return ref.removeprefix("env:")


def secret_specs(campaign: Campaign) -> tuple[SecretSpec, ...]:
    """The secrets this campaign's stack needs, from config (not the stack's own keys)."""
    specs = [
        SecretSpec(
            "db_password",
            "generated",
            frozenset({"http", "crm", "sms", "jobs", "relay"}),
            "password of the campaign's MySQL user",
        ),
        SecretSpec(
            "admin_token", "generated", frozenset({"http"}), "bearer token of the admin page"
        ),
    ]
    channels = campaign.channels
    if channels.sms is not None:
        specs.append(
            SecretSpec(
                "sms_webhook_secret",
                "generated",
                frozenset({"http"}),
                "shared with the SMS aggregator: signs or authorises inbound SMS webhooks",
            )
        )
        provider = channels.sms.provider
        env = _env_name(provider.secret_ref) if provider is not None else None
        if env is not None:
            specs.append(
                SecretSpec(
                    "sms_provider_secret", "env", frozenset({"sms"}), "SMS aggregator API key", env
                )
            )
    if channels.hotline is not None:
        specs.append(
            SecretSpec(
                "hotline_webhook_secret",
                "generated",
                frozenset({"http"}),
                "shared with the telephony provider: authorises IVR webhooks",
            )
        )
    # Every campaign ships its key ring (.campaignctl/codes.key), codes or not: it
    # seals personal data and queued messages, and every function instance must
    # open what another sealed. The workers open queued messages, and the relay
    # does for topics it delivers itself (a CSV-import CRM).
    readers: set[Role] = {"http", "jobs", "crm", "sms"}
    if campaign.crm is not None and campaign.crm.target == "csv":
        readers.add("relay")
    specs.append(
        SecretSpec(
            "codes_key",
            "codes_key",
            frozenset(readers),
            "the campaign's key ring (.campaignctl/codes.key): checks codes, "
            "seals personal data and queued messages",
        )
    )
    crm_env = _env_name(campaign.crm.secret_ref) if campaign.crm is not None else None
    if crm_env is not None:
        specs.append(
            SecretSpec(
                "crm_secret", "env", frozenset({"crm"}), "CRM token or signing secret", crm_env
            )
        )
    captcha = campaign.anti_fraud.captcha
    captcha_env = _env_name(captcha.secret_ref) if captcha is not None else None
    if captcha_env is not None:
        specs.append(
            SecretSpec(
                "captcha_secret", "env", frozenset({"http"}), "SmartCaptcha server key", captcha_env
            )
        )
    return tuple(specs)
