"""The roles the deployer needs in the campaign's folder, and a check of them before ``up``.

Checked against Yandex Cloud's role reference (2026-12): each role is the
smallest documented one for what the stack does; ``admin`` on the folder holds
them all. ``editor`` is not enough: it cannot assign roles, and the stack binds
roles on the folder, on keys and on functions.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from campaignctl.errors import UserError

RESOURCE_MANAGER = "https://resource-manager.api.cloud.yandex.net/resource-manager/v1"
ENDPOINT_ENV = "CAMPAIGNCTL_RESOURCE_MANAGER_ENDPOINT"
SKIP_ENV = "CAMPAIGNCTL_ROLE_CHECK"
"""``off`` skips the check (roles granted on the organization are not visible to it)."""

DEPLOYER_ROLES: Mapping[str, str] = {
    "resource-manager.admin": "binds ymq.writer and ymq.reader on the folder",
    "iam.serviceAccounts.admin": "the functions' service accounts, their static keys",
    "iam.serviceAccounts.user": "functions, triggers and the gateway run as those accounts",
    "functions.admin": "functions, triggers, the gateway's invoker binding on a function",
    "api-gateway.editor": "the API gateway",
    "storage.admin": "buckets with policies, SSE-KMS, versioning and lifecycle rules",
    "kms.admin": "keys, their bindings, their deletion (kms.editor can do neither)",
    "ymq.admin": "queues with redrive policies, changed and deleted (ymq.writer cannot)",
    "managed-mysql.editor": "the MySQL cluster",
    "vpc.user": "a cluster in the campaign's network",
    "vpc.admin": "network, subnet, security group and the cluster's public address",
}
DOMAIN_ROLES: Mapping[str, str] = {
    "dns.editor": "the domain's public zone and records",
    "cdn.editor": "the CDN resource and origin group for HTTPS on the domain",
}
SUPERSET = "admin"


def required_roles(*, domain: bool) -> dict[str, str]:
    return {**DEPLOYER_ROLES, **(DOMAIN_ROLES if domain else {})}


Fetch = Callable[[str, str], Mapping[str, object]]


def _fetch(url: str, token: str) -> Mapping[str, object]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})  # noqa: S310 - https endpoint or a test's loopback
    with urllib.request.urlopen(request, timeout=20) as answer:  # noqa: S310
        data: Mapping[str, object] = json.load(answer)
        return data


@dataclass(frozen=True)
class Bindings:
    roles: frozenset[str]
    read: tuple[str, ...]
    """The resources whose bindings could be read (a folder, a cloud)."""


def held_roles(
    subject: str, resources: Mapping[str, str], token: str, base: str, fetch: Fetch = _fetch
) -> Bindings:
    """The roles ``subject`` holds on ``resources`` (kind -> id: folders, clouds)."""
    roles: set[str] = set()
    read = []
    for kind, resource in resources.items():
        page = ""
        try:
            while True:
                query = f"?pageSize=1000&pageToken={page}" if page else "?pageSize=1000"
                data = fetch(f"{base}/{kind}/{resource}:listAccessBindings{query}", token)
                for binding in data.get("accessBindings") or []:  # type: ignore[attr-defined]
                    if binding.get("subject", {}).get("id") == subject:
                        roles.add(str(binding.get("roleId")))
                page = str(data.get("nextPageToken") or "")
                if not page:
                    break
        except urllib.error.HTTPError as exc:
            if exc.code in (401, 403):
                continue  # not allowed to read this level's bindings: say so below
            raise
        read.append(f"{kind[:-1]} {resource}")
    return Bindings(frozenset(roles), tuple(read))


def check_roles(
    *,
    member: str,
    folder_id: str,
    cloud_id: str,
    domain: bool,
    env: Mapping[str, str],
    fetch: Fetch = _fetch,
) -> None:
    """Refuse to deploy when ``member`` (``serviceAccount:ID``) lacks a role the stack needs.

    Reads the folder's and the cloud's access bindings with the IAM token in
    ``YC_TOKEN`` (without one, or where it may read neither, nothing is checked).
    """
    subject = member.partition(":")[2]
    token = env.get("YC_TOKEN")
    if not token or env.get(SKIP_ENV) == "off":
        return
    base = env.get(ENDPOINT_ENV) or RESOURCE_MANAGER
    try:
        held = held_roles(
            subject, {"folders": folder_id, "clouds": cloud_id}, token, base, fetch=fetch
        )
    except (OSError, ValueError) as exc:
        raise UserError(
            f"could not read the access bindings of folder {folder_id}: {exc}",
            hint=f"check YC_TOKEN and the network, or set {SKIP_ENV}=off to deploy without "
            "the role check",
        ) from None
    if SUPERSET in held.roles or not held.read:
        return
    missing = {r: why for r, why in required_roles(domain=domain).items() if r not in held.roles}
    if not missing:
        return
    lines = "\n".join(f"  - {role}: {why}" for role, why in missing.items())
    grant = " ".join(
        f"yc resource-manager folder add-access-binding {folder_id} --role {role} "
        f"--subject {member};"
        for role in missing
    )
    raise UserError(
        f"the deployer {member} lacks roles the stack needs (read on {', '.join(held.read)}):\n"
        f"{lines}",
        hint=f"grant them: {grant} roles granted on the organization are not visible here: "
        f"{SKIP_ENV}=off deploys without this check",
    )
