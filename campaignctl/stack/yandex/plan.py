"""`campaignctl plan`: every resource the Yandex stack would create, and what it would cost.

Offline and without credentials: the program runs under Pulumi's mocks
(:mod:`.offline`), each resource is listed with its key settings (secrets
masked), and :mod:`.cost` prices them. The text form is stable, so the docs
carry it for each example (``python -m campaignctl.docs``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from campaignctl.model import Campaign
from campaignctl.stack.yandex.cost import CloudEstimate, estimate_monthly
from campaignctl.stack.yandex.naming import REGION, naming
from campaignctl.stack.yandex.offline import OfflineStack, PlannedResource, is_secret, run_offline

Inputs = Mapping[str, Any]


def _show(value: Any) -> str:
    if is_secret(value):
        return "[secret]"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list | tuple):
        return ",".join(_show(v) for v in value)
    return str(value)


def _bucket(i: Inputs) -> str:
    parts = [i["bucket"]]
    if "website" in i:
        parts.append("website, public GetObject only")
    else:
        parts.append(f"acl {i.get('acl', 'private')}")
    if i.get("versioning", {}).get("enabled"):
        parts.append("versioned")
    if "serverSideEncryptionConfiguration" in i:
        parts.append("SSE-KMS")
    rules = [r.get("id", "") for r in i.get("lifecycleRules", [])]
    if rules:
        parts.append(f"lifecycle {'+'.join(rules)}")
    return "; ".join(parts)


def _function(i: Inputs) -> str:
    env = i.get("environment", {})
    sealed = sorted(k.removeprefix("CAMPAIGNCTL_SECRET_").lower() for k in env if "_SECRET_" in k)
    return (
        f"{i['name']}; {i['runtime']} {i['entrypoint']}; {_show(i['memory'])} MB, "
        f"{i['executionTimeout']} s; sealed secrets: {', '.join(sealed) or 'none'}"
    )


def _trigger(i: Inputs) -> str:
    if "timer" in i:
        return f"{i['name']}; cron (UTC) {i['timer']['cronExpression']}"
    mq = i.get("messageQueue", {})
    return f"{i['name']}; queue batch {mq.get('batchSize')}, cutoff {mq.get('batchCutoff')} s"


def _queue(i: Inputs) -> str:
    text = f"{i['name']}; retention {int(i['messageRetentionSeconds']) // 3600} h"
    if "redrivePolicy" in i:
        policy = json.loads(i["redrivePolicy"])
        text += f"; to DLQ after {policy['maxReceiveCount']} receives"
    return text


def _mysql(i: Inputs) -> str:
    r = i["resources"]
    public = all(h.get("assignPublicIp") for h in i["hosts"])
    return (
        f"{i['name']}; MySQL {i['version']}; {r['resourcePresetId']}, {r['diskSize']} GB "
        f"{r['diskTypeId']}; {len(i['hosts'])} host(s) in {i['hosts'][0]['zone']}"
        f"{', public (TLS)' if public else ''}; deletion protection {_show(i.get('deletionProtection', False))}"
    )


def _gateway(i: Inputs) -> str:
    import yaml  # noqa: PLC0415 - only to list the routes of the spec

    paths = yaml.safe_load(i["spec"])["paths"]
    return f"{i['name']}; routes {' '.join(paths)}"


def _named(*keys: str) -> Callable[[Inputs], str]:
    def show(i: Inputs) -> str:
        return "; ".join(
            f"{k} {_show(i[k])}" if k != "name" else _show(i[k]) for k in keys if k in i
        )

    return show


_SETTINGS: dict[str, Callable[[Inputs], str]] = {
    "yandex:StorageBucket": _bucket,
    "yandex:Function": _function,
    "yandex:FunctionTrigger": _trigger,
    "yandex:MessageQueue": _queue,
    "yandex:MdbMysqlCluster": _mysql,
    "yandex:ApiGateway": _gateway,
    "yandex:KmsSymmetricKey": _named("name", "defaultAlgorithm", "rotationPeriod"),
    "yandex:KmsSecretCiphertext": _named("aadContext", "plaintext"),
    "yandex:KmsSymmetricKeyIamBinding": _named("role", "members"),
    "yandex:IamServiceAccount": _named("name"),
    "yandex:IamServiceAccountStaticAccessKey": lambda i: "secret_key marked secret",
    "yandex:ResourcemanagerFolderIamMember": _named("role", "member"),
    "yandex:FunctionIamBinding": _named("role", "members"),
    "yandex:VpcNetwork": _named("name"),
    "yandex:VpcSubnet": _named("name", "zone", "v4CidrBlocks"),
    "yandex:VpcSecurityGroup": lambda i: (
        f"{i['name']}; ingress "
        + ", ".join(f"{g['protocol']} {_show(g.get('port'))}" for g in i.get("ingresses", []))
    ),
    "yandex:DnsZone": _named("zone", "public"),
    "yandex:DnsRecordSet": _named("name", "type", "datas"),
    "yandex:CdnOriginGroup": _named("name"),
    "yandex:CdnResource": lambda i: (
        f"{i['cname']}; certificate {i['sslCertificate']['type']} "
        f"(made outside Pulumi); https origin"
    ),
    "pulumi:providers:yandex": _named("cloudId", "folderId", "zone"),
}


@dataclass(frozen=True)
class PlanRow:
    type: str
    name: str
    parent: str
    settings: str
    protected: bool

    def as_json(self) -> dict[str, object]:
        return {
            "type": self.type,
            "name": self.name,
            "component": self.parent,
            "settings": self.settings,
            "protected": self.protected,
        }


@dataclass(frozen=True)
class Plan:
    slug: str
    location: str
    rows: tuple[PlanRow, ...]
    outputs: Mapping[str, Any]
    estimate: CloudEstimate

    def as_json(self) -> dict[str, object]:
        return {
            "campaign": self.slug,
            "target": "yandex",
            "location": self.location,
            "resources": [r.as_json() for r in self.rows],
            "outputs": dict(self.outputs),
            "cost": self.estimate.as_json(),
        }


def _row(resource: PlannedResource) -> PlanRow:
    show = _SETTINGS.get(resource.short_type)
    settings = show(resource.inputs) if show is not None else ""
    return PlanRow(resource.short_type, resource.name, resource.parent, settings, resource.protect)


def plan_from(stack: OfflineStack) -> Plan:
    target = naming(stack.campaign).target
    # Registration order follows output resolution; sorted rows keep plans comparable.
    custom = sorted(
        (r for r in stack.resources if r.custom), key=lambda r: (r.parent, r.short_type, r.name)
    )
    rows = tuple(_row(r) for r in custom)
    location = f"{REGION}, zone {target.zone}, cloud {target.cloud_id}, folder {target.folder_id}"
    return Plan(stack.campaign.slug, location, rows, stack.outputs, estimate_monthly(stack))


def plan(campaign: Campaign) -> Plan:
    """Plan the campaign's Yandex stack offline: resources, outputs, monthly cost estimate."""
    return plan_from(run_offline(campaign))


def _table(rows: Sequence[tuple[str, ...]], indent: str = "") -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    return [
        indent
        + "  ".join(cell.ljust(w) for cell, w in zip(r[:-1], widths, strict=False))
        + "  "
        + r[-1]
        for r in rows
    ]


def render_text(p: Plan) -> str:
    """The plan as fixed-width text (the CLI's output and the docs' examples)."""
    rows = [("TYPE", "NAME", "SETTINGS")]
    rows += [(r.type, r.name + (" [protected]" if r.protected else ""), r.settings) for r in p.rows]
    e = p.estimate
    out = [
        f"Plan of {p.slug} on Yandex Cloud ({p.location})",
        f"{len(p.rows)} resources, created offline under Pulumi mocks (no credentials used)",
        "",
        *_table(rows),
        "",
        "Outputs:",
        *(f"  {k} = {_show(v)}" for k, v in p.outputs.items()),
        "",
        f"Estimated monthly cost, RUB incl. VAT (estimate; prices of {e.price_date}, {e.price_source}):",
        f"  traffic: {e.traffic.requests_per_day:,} requests/day ({e.traffic.source})",
        *_table([(i.service, f"{i.monthly_rub:>10,.2f}", i.basis) for i in e.items], "  "),
        f"  Total (estimate): {e.monthly_rub:,.2f} RUB per month",
    ]
    return "\n".join(line.rstrip() for line in out) + "\n"


def monthly_total(campaign: Campaign) -> Decimal:
    return plan(campaign).estimate.monthly_rub
