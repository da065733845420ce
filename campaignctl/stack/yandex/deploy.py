"""Deploy and destroy the Yandex stack through Pulumi's Automation API.

``campaignctl up/down --target yandex`` call :func:`deploy` and :func:`destroy`.
State goes to a local file backend in the campaign's state folder by default
(``.campaignctl/pulumi``), or to a bucket (:func:`bucket_backend`). The stack's
settings (its config, with the generated secrets encrypted by the passphrase,
and the passphrase's salt) live in a workspace folder of their own,
``.campaignctl/pulumi-workspace`` (0700): the Automation API keeps them in its
work_dir, and a fresh temporary one on every run would generate new secrets each
time (the SMS and telephony providers hold the old ones) and leave ``destroy``
unable to read the config. Before anything runs, :func:`preflight` checks the
pulumi CLI and every credential and secret the stack needs, and says exactly
what to install or set.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from campaignctl.errors import UserError
from campaignctl.model import Campaign
from campaignctl.stack.yandex.leftovers import Leftover, leftovers
from campaignctl.stack.yandex.naming import CONFIG_NAMESPACE, PROJECT, REGION, naming
from campaignctl.stack.yandex.program import DEPLOYER_KEY, UNPROTECT_KEY, yandex_program
from campaignctl.stack.yandex.queues import workers
from campaignctl.stack.yandex.roles import check_roles
from campaignctl.stack.yandex.secrets import GENERATED_LENGTH, SecretSpec, secret_specs
from campaignctl.state import state_dir

PULUMI_INSTALL = (
    "curl -fsSL https://get.pulumi.com | sh  (see https://www.pulumi.com/docs/install/)"
)
YC_STORAGE_ENDPOINT = "storage.yandexcloud.net"
Env = Mapping[str, str]


def file_backend(campaign: Campaign) -> str:
    """The default: Pulumi state in ``<campaign>/.campaignctl/pulumi`` (0700, git-ignored)."""
    folder = state_dir(campaign.folder) / "pulumi"
    folder.mkdir(mode=0o700, exist_ok=True)
    return f"file://{folder}"


def bucket_backend(bucket: str) -> str:
    """State in an Object Storage bucket (needs AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)."""
    return f"s3://{bucket}?endpoint={YC_STORAGE_ENDPOINT}&region={REGION}&s3ForcePathStyle=true"


@dataclass(frozen=True)
class Missing:
    what: str
    how: str


DEPLOYER_ENV = "CAMPAIGNCTL_DEPLOYER"
_MEMBER = re.compile(r"(userAccount|serviceAccount|federatedUser):[a-z0-9]{20}")


def deployer_member(env: Env) -> str | Missing:
    """The IAM member deploying, which the bucket policies must let in (``serviceAccount:ID``).

    ``CAMPAIGNCTL_DEPLOYER`` when set; else the service account of
    ``YC_SERVICE_ACCOUNT_KEY_FILE`` (its ``service_account_id``). A person's ``YC_TOKEN``
    does not say whose it is: they set ``CAMPAIGNCTL_DEPLOYER=userAccount:ID``.
    """
    how = (
        f"{DEPLOYER_ENV}=userAccount:<id> (`yc iam user-account get <login>`), or deploy with "
        "YC_SERVICE_ACCOUNT_KEY_FILE, whose service_account_id is used"
    )
    member = env.get(DEPLOYER_ENV)
    if not member and env.get("YC_SERVICE_ACCOUNT_KEY_FILE"):
        path = Path(env["YC_SERVICE_ACCOUNT_KEY_FILE"])
        try:
            member = f"serviceAccount:{json.loads(path.read_text())['service_account_id']}"
        except (OSError, ValueError, KeyError, TypeError):
            return Missing(f"the service account of {path}", "a key made by `yc iam key create`")
    if not member:
        return Missing("the deployer's IAM member (the bucket policies let it in)", how)
    if not _MEMBER.fullmatch(member):
        return Missing(f"a deployer member like serviceAccount:<20 chars>, not {member!r}", how)
    return member


def _credentials(campaign: Campaign, backend: str, env: Env) -> list[Missing]:
    missing = []
    if not (env.get("YC_TOKEN") or env.get("YC_SERVICE_ACCOUNT_KEY_FILE")):
        missing.append(
            Missing(
                "Yandex Cloud credentials",
                "export YC_TOKEN=$(yc iam create-token), or YC_SERVICE_ACCOUNT_KEY_FILE=key.json "
                "(yc iam key create --service-account-name deployer -o key.json)",
            )
        )
    pairs = [("YC_STORAGE_ACCESS_KEY", "YC_STORAGE_SECRET_KEY", "buckets (S3 API)")]
    if workers(campaign):
        pairs.append(
            ("YC_MESSAGE_QUEUE_ACCESS_KEY", "YC_MESSAGE_QUEUE_SECRET_KEY", "queues (SQS API)")
        )
    for key, secret, use in pairs:
        if not (env.get(key) and env.get(secret)):
            missing.append(
                Missing(
                    f"{key} and {secret} for {use}",
                    "a static key of the deployer account: yc iam access-key create "
                    "--service-account-name deployer",
                )
            )
    deployer = deployer_member(env)
    if isinstance(deployer, Missing):
        missing.append(deployer)
    if backend.startswith("s3://") and not (
        env.get("AWS_ACCESS_KEY_ID") and env.get("AWS_SECRET_ACCESS_KEY")
    ):
        missing.append(
            Missing(
                "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", "the static key for the state bucket"
            )
        )
    if backend.startswith("file://") and not (
        env.get("PULUMI_CONFIG_PASSPHRASE") or env.get("PULUMI_CONFIG_PASSPHRASE_FILE")
    ):
        missing.append(
            Missing(
                "PULUMI_CONFIG_PASSPHRASE (or _FILE)",
                "the passphrase that encrypts the stack's secrets in the file backend",
            )
        )
    return missing


def _campaign_secrets(
    campaign: Campaign, env: Env, certificate_id: str | None, require_certificate: bool
) -> list[Missing]:
    missing = [
        Missing(f"${s.env} ({s.description})", f"export {s.env}=... (secret_ref env:{s.env})")
        for s in secret_specs(campaign)
        if s.source == "env" and s.env and not env.get(s.env)
    ]
    target = naming(campaign).target
    if target.domain and require_certificate and not certificate_id:
        missing.append(
            Missing(
                f"a certificate for {target.domain}",
                f"yc certificate-manager certificate request --name {campaign.slug} "
                f"--domains {target.domain}, then pass its id as certificate_id",
            )
        )
    if campaign.codes is not None:
        from campaignctl.codes.keys import key_path  # noqa: PLC0415 - only campaigns with codes

        # Printed codes depend on this key: never make a new one behind the user's back.
        if not key_path(campaign.folder).exists():
            missing.append(
                Missing(
                    "the codes key",
                    "run `campaignctl codes` first, or restore .campaignctl/codes.key",
                )
            )
    return missing


def preflight(
    campaign: Campaign,
    *,
    backend: str | None = None,
    certificate_id: str | None = None,
    env: Env | None = None,
    require_certificate: bool = True,
    which: Callable[[str], str | None] = shutil.which,
) -> None:
    """Raise one :class:`UserError` listing everything missing to deploy; return when ready."""
    env = os.environ if env is None else env
    naming(campaign)  # infrastructure.yandex must be there
    if which("pulumi") is None:
        raise UserError(
            "the pulumi CLI is not installed (the Automation API drives it)",
            hint=f"install it: {PULUMI_INSTALL}; or preview offline with "
            f"`campaignctl plan {campaign.source} --target yandex`",
            path=campaign.source,
        )
    missing = _credentials(campaign, backend or "file://", env)
    missing += _campaign_secrets(campaign, env, certificate_id, require_certificate)
    if missing:
        lines = "\n".join(f"  - {m.what}: {m.how}" for m in missing)
        raise UserError(
            f"cannot deploy to Yandex Cloud, missing:\n{lines}",
            hint="see docs/yandex.md, 'Deploying a real campaign'",
            path=campaign.source,
        )


def _secret_value(spec: SecretSpec, campaign: Campaign, env: Env, current: str | None) -> str:
    if spec.source == "env" and spec.env:
        return env[spec.env]
    if spec.source == "codes_key":
        from campaignctl.codes.keys import create_keys, key_path  # noqa: PLC0415

        # A campaign without codes still needs one key ring shared by every function
        # instance (it seals personal data); make it once, locally, like `up` does.
        if campaign.codes is None:
            create_keys(campaign.folder)
        # The key file as it is: the handler reads it with campaignctl.codes.keys.
        return key_path(campaign.folder).read_text(encoding="ascii")
    # Generated once, then kept in the stack's (encrypted) config.
    return current or secrets.token_urlsafe(GENERATED_LENGTH)


WORKSPACE_DIR = "pulumi-workspace"


def workspace_dir(campaign: Campaign) -> Path:
    """``<campaign>/.campaignctl/pulumi-workspace`` (0700): the stack's settings, kept across runs."""
    folder = state_dir(campaign.folder) / WORKSPACE_DIR
    folder.mkdir(mode=0o700, exist_ok=True)
    folder.chmod(0o700)
    return folder


class LostSettings(UserError):
    """The stack exists in the backend, but its settings are not in the workspace folder."""


def _stack(campaign: Campaign, backend: str, env: Env, command: Any = None) -> Any:
    """Select the campaign's stack, or create it on the first run, in the kept workspace.

    ``command`` is a ``pulumi.automation.PulumiCommand`` (the real CLI by default;
    the tests pass one that emulates it).
    """
    import pulumi  # noqa: PLC0415
    from pulumi import automation as auto  # noqa: PLC0415 - needs the CLI, checked first

    def program() -> None:
        for name, value in yandex_program(campaign, state_dir(campaign.folder) / "build").items():
            pulumi.export(name, value)

    project = auto.ProjectSettings(
        name=PROJECT, runtime="python", backend=auto.ProjectBackend(url=backend)
    )
    folder = workspace_dir(campaign)
    opts = auto.LocalWorkspaceOptions(
        work_dir=str(folder), project_settings=project, env_vars=dict(env), pulumi_command=command
    )
    try:
        stack = auto.select_stack(campaign.slug, PROJECT, program, opts=opts)
    except auto.StackNotFoundError:
        return auto.create_stack(campaign.slug, PROJECT, program, opts=opts)
    configured = stack.get_all_config()
    generated = [s.key for s in secret_specs(campaign) if s.source == "generated"]
    lost = not any(f"{CONFIG_NAMESPACE}:{key}" in configured for key in generated)
    if lost and stack.history(page_size=1):  # a stack that never ran may be configured anew
        raise LostSettings(
            f"the stack {campaign.slug} exists in {backend}, but its settings are not in "
            f"{folder}: deploying now would generate new secrets (the database password, "
            "the webhook secrets the SMS and telephony providers hold)",
            hint=f"restore {folder} (Pulumi.{campaign.slug}.yaml) from your backup of the "
            "campaign folder, with the same PULUMI_CONFIG_PASSPHRASE",
            path=campaign.source,
        )
    return stack


def _configure(stack: Any, campaign: Campaign, env: Env, certificate_id: str | None) -> None:
    from pulumi import automation as auto  # noqa: PLC0415

    current = stack.get_all_config()
    for spec in secret_specs(campaign):
        key = f"{CONFIG_NAMESPACE}:{spec.key}"
        existing = current.get(key)
        value = _secret_value(spec, campaign, env, existing.value if existing else None)
        if existing is None or existing.value != value or not existing.secret:
            stack.set_config(key, auto.ConfigValue(value=value, secret=True))
    if certificate_id:
        stack.set_config(f"{CONFIG_NAMESPACE}:certificate_id", auto.ConfigValue(certificate_id))


@dataclass(frozen=True)
class Deployed:
    outputs: dict[str, Any]
    """Stack outputs; secret ones are shown as ``[secret]``."""


def _cli(command: Any) -> Callable[[str], str | None]:
    """How :func:`preflight` finds the CLI: the given command, or ``pulumi`` on the PATH."""
    return shutil.which if command is None else lambda _: str(command.command)


def open_stack(
    campaign: Campaign,
    *,
    backend: str | None = None,
    certificate_id: str | None = None,
    require_certificate: bool = False,
    command: Any = None,
) -> Any:
    """The campaign's Automation API stack, once :func:`preflight` found nothing missing."""
    env = dict(os.environ)
    preflight(
        campaign,
        backend=backend,
        certificate_id=certificate_id,
        env=env,
        require_certificate=require_certificate,
        which=_cli(command),
    )
    if command is None:  # the real CLI: the real cloud, whose roles can be read
        target = naming(campaign).target
        check_roles(
            member=str(deployer_member(env)),
            folder_id=target.folder_id,
            cloud_id=target.cloud_id,
            domain=bool(target.domain),
            env=env,
        )
    url = backend or file_backend(campaign)  # creates the state folder: only once ready
    return _stack(campaign, url, env, command)


def deploy(
    campaign: Campaign,
    *,
    backend: str | None = None,
    certificate_id: str | None = None,
    on_output: Callable[[str], None] | None = None,
    command: Any = None,
) -> Deployed:
    """Create or update the campaign's stack; return its outputs (webhook URLs, numbers, buckets).

    A second run reuses the stack's settings from :func:`workspace_dir`: the same
    generated secrets, so nothing changes that the spec did not change.
    """
    stack = open_stack(
        campaign,
        backend=backend,
        certificate_id=certificate_id,
        require_certificate=True,
        command=command,
    )
    env = dict(os.environ)
    _configure(stack, campaign, env, certificate_id)
    stack.set_config(f"{CONFIG_NAMESPACE}:{UNPROTECT_KEY}", _plain("false"))
    stack.set_config(f"{CONFIG_NAMESPACE}:{DEPLOYER_KEY}", _plain(str(deployer_member(env))))
    result = stack.up(on_output=on_output)
    return Deployed({k: "[secret]" if v.secret else v.value for k, v in result.outputs.items()})


def _plain(value: str) -> Any:
    from pulumi import automation as auto  # noqa: PLC0415

    return auto.ConfigValue(value=value)


def destroy(
    stack: Any,
    *,
    include_protected: bool = False,
    on_output: Callable[[str], None] | None = None,
) -> tuple[Leftover, ...]:
    """Destroy the stack (:func:`open_stack`); return what still exists. Archive first
    (``campaignctl down`` does).

    Without ``include_protected`` the database and the archive bucket stay, with
    the network, subnet, security group and key they stand on
    (``exclude_protected``), and so does the stack's state, the only handle on
    them; with it, an update first lifts their protection and deletion
    protection, then everything is destroyed.
    """
    if include_protected:
        stack.set_config(f"{CONFIG_NAMESPACE}:{UNPROTECT_KEY}", _plain("true"))
        # Only the protected resources are updated (protection and deletion protection
        # off): a whole update would first bring back what an earlier `down` destroyed,
        # functions and triggers that take registrations and send SMS again.
        protected = [
            str(r["urn"])
            for r in (stack.export_stack().deployment or {}).get("resources") or []
            if r.get("protect")
        ]
        if protected:
            stack.up(on_output=on_output, target=protected)
        stack.destroy(on_output=on_output)
    else:
        stack.destroy(on_output=on_output, exclude_protected=True)
    return leftovers(stack.export_stack().deployment or {})


__all__ = [
    "Deployed",
    "LostSettings",
    "bucket_backend",
    "deploy",
    "destroy",
    "file_backend",
    "open_stack",
    "preflight",
    "workspace_dir",
]
