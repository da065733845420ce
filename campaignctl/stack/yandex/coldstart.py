"""A Cloud Function's cold start: the campaign, its secrets and the runtime context, once.

The function's environment (set by :mod:`campaignctl.stack.yandex.functions`):
``CAMPAIGNCTL_CAMPAIGN`` (the campaign.yaml inside the package),
``CAMPAIGNCTL_DB_HOST``/``_NAME``/``_USER``, ``CAMPAIGNCTL_KMS_KEY_ID`` and one
``CAMPAIGNCTL_SECRET_<NAME>`` KMS ciphertext per secret the function reads.
``CAMPAIGNCTL_DATABASE_URL`` overrides the database (tests, a staging copy).

The package is read-only, so the campaign folder is copied to a private
folder under /tmp (the only writable place), where the codes key, the state
files and receipt photos go. Secrets that the runtime reads from environment
variables named by the spec (``secret_ref: env:NAME``: CRM, captcha, SMS
provider) are put there, decrypted, for this process only.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import quote

from campaignctl.codes.keys import key_path
from campaignctl.errors import UserError
from campaignctl.model.campaign import Campaign
from campaignctl.runtime.app import build_context, default_settings
from campaignctl.runtime.context import RuntimeContext
from campaignctl.spec import load_campaign
from campaignctl.stack.yandex.kms import ENDPOINT, ENDPOINT_ENV, decrypt
from campaignctl.stack.yandex.secrets import secret_specs
from campaignctl.state import DATABASE_URL_ENV, state_dir, write_private

CAMPAIGN_ENV = "CAMPAIGNCTL_CAMPAIGN"
WORK_ENV = "CAMPAIGNCTL_WORK_DIR"
"""Where the campaign is copied (default: a new private folder under the temp dir)."""
MYSQL_PORT = 3306
ROOT_CA = Path(__file__).with_name("yandex-root-ca.pem")
"""Yandex's published root CA, which signs the certificates of Managed MySQL's public
hosts (https://storage.yandexcloud.net/cloud-certs/CA.pem, recorded 2026-12):
YandexInternalRootCA, self-signed, valid 2013-02-11 to 2033-02-11, SHA-256
E3C31926 46536BC4 FFAE6DD3 4324EF9D D8D3B16D FA13A24E 13180EF1 4BA21BBA. The
system's CA store does not know it, so verifying the server needs this file."""


# The stack's conventions (functions.secret_variable, vault.aad_context), restated
# here because those modules import Pulumi, which the function package leaves out;
# tests/stack/test_handler.py checks that they agree.


def secret_variable(secret: str) -> str:
    return f"CAMPAIGNCTL_SECRET_{secret.upper()}"


def aad_context(slug: str, secret: str) -> str:
    return f"{slug}:{secret}"


class NotConfigured(UserError):
    """The function's environment lacks a setting the stack always provides."""


@dataclass(frozen=True)
class ColdStart:
    campaign: Campaign
    context: RuntimeContext
    secrets: Mapping[str, str]


STATIC_ACCESS_KEY_ENV = "CAMPAIGNCTL_STATIC_ACCESS_KEY_ID"
"""The id of the function's static key (S3, Message Queue); its secret half is the sealed
secret ``static_secret_key``."""


def static_key(
    env: Mapping[str, str], secrets: Mapping[str, str], *, missing: str, hint: str
) -> tuple[str, str]:
    """The function's static key (id, secret); :class:`NotConfigured` with ``missing`` and
    ``hint`` if either half is not there."""
    access_key = env.get(STATIC_ACCESS_KEY_ENV)
    secret_key = secrets.get("static_secret_key")
    if not access_key or not secret_key:
        raise NotConfigured(missing, hint=hint)
    return access_key, secret_key


def _require(env: Mapping[str, str], name: str) -> str:
    value = env.get(name)
    if not value:
        raise NotConfigured(f"{name} is not set", hint="the Yandex stack sets it on every function")
    return value


def read_secrets(campaign: Campaign, env: Mapping[str, str], token: str | None) -> dict[str, str]:
    """Every ``CAMPAIGNCTL_SECRET_<NAME>`` of this function, decrypted with its KMS key."""
    names = [s.key for s in secret_specs(campaign)] + ["admin_token", "static_secret_key"]
    present = {
        n: env[secret_variable(n)] for n in dict.fromkeys(names) if env.get(secret_variable(n))
    }
    if not present:
        return {}
    key_id = _require(env, "CAMPAIGNCTL_KMS_KEY_ID")
    if not token:
        raise NotConfigured(
            "no IAM token to decrypt the secrets with",
            hint="give the function its service account (the stack does)",
        )
    endpoint = env.get(ENDPOINT_ENV, ENDPOINT)
    return {
        name: decrypt(
            text,
            key_id=key_id,
            aad=aad_context(campaign.slug, name),
            token=token,
            endpoint=endpoint,
        )
        for name, text in present.items()
    }


def database_url(env: Mapping[str, str], secrets: Mapping[str, str]) -> str:
    """``CAMPAIGNCTL_DATABASE_URL``, else the stack's Managed MySQL over TLS."""
    override = env.get(DATABASE_URL_ENV)
    if override:
        return override
    host = _require(env, "CAMPAIGNCTL_DB_HOST")
    user = _require(env, "CAMPAIGNCTL_DB_USER")
    name = _require(env, "CAMPAIGNCTL_DB_NAME")
    password = secrets.get("db_password")
    if password is None:
        raise NotConfigured("CAMPAIGNCTL_SECRET_DB_PASSWORD is not set")
    # Yandex accepts connections to public MySQL hosts over TLS only; the server's
    # certificate (and its host name) is checked against Yandex's root CA.
    return (
        f"mysql+pymysql://{quote(user, safe='')}:{quote(password, safe='')}@{host}:{MYSQL_PORT}/"
        f"{name}?charset=utf8mb4&ssl_ca={quote(str(ROOT_CA), safe='/')}"
        "&ssl_check_hostname=true"
    )


def _work_copy(source: Path, env: Mapping[str, str]) -> Path:
    root = Path(env.get(WORK_ENV) or tempfile.mkdtemp(prefix="campaignctl-"))
    target = root / "campaign"
    if not target.exists():
        shutil.copytree(source.parent, target, ignore=shutil.ignore_patterns(".campaignctl"))
    return target / source.name


def _place_secrets(campaign: Campaign, secrets: Mapping[str, str]) -> None:
    folder = campaign.folder
    if "codes_key" in secrets and not key_path(folder).exists():
        state_dir(folder)
        write_private(key_path(folder), secrets["codes_key"].encode("ascii"))
    if "sms_webhook_secret" in secrets:
        from campaignctl.delivery.sms import SECRET_FILE  # noqa: PLC0415

        path = state_dir(folder) / SECRET_FILE
        if not path.exists():
            write_private(path, secrets["sms_webhook_secret"].encode("utf-8"))
    for spec in secret_specs(campaign):
        if spec.source == "env" and spec.env and spec.key in secrets:
            os.environ[spec.env] = secrets[spec.key]


def cold_start(env: Mapping[str, str], token: str | None) -> ColdStart:
    """Load the campaign from the package, decrypt the secrets, open the runtime context."""
    source = Path(_require(env, CAMPAIGN_ENV))
    packaged = load_campaign(source)
    secrets = read_secrets(packaged, env, token)
    campaign = load_campaign(_work_copy(source, env))
    _place_secrets(campaign, secrets)
    from campaignctl.stack.yandex.artefacts import photo_put  # noqa: PLC0415 - imports this

    settings = replace(
        default_settings(campaign),
        # Photos go to the reports bucket where the stack gives one (the http function).
        photo_put=photo_put(env, secrets),
        site_dir=None,  # the site is served from its bucket
        admin_token=secrets.get("admin_token"),
        # Behind API Gateway the socket peer is the gateway: the client is in the event.
        trusted_proxy_header=None,
    )
    ctx = build_context(
        campaign, database_url=database_url(env, secrets), settings=settings, local=False
    )
    return ColdStart(campaign, ctx, secrets)
