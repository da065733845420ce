"""The campaign's own domain: a delegated DNS zone and a CDN resource with HTTPS.

Buckets and the API Gateway in pulumi-yandex 0.13 take no certificate, so a
custom domain with HTTPS goes through Cloud CDN, whose origin is the gateway
(site and API on one origin). The certificate is made outside Pulumi, in
Certificate Manager (``yc certificate-manager certificate request``), and its
id is given as ``campaignctl:certificate_id``. The stack creates a public zone
for the domain itself; delegate it from the parent zone with the NS records in
the stack outputs. The CDN's CNAME target is not an output of 0.13: once known
(``yc cdn resource get``), set ``campaignctl:cdn_target`` and the next ``up``
adds the ANAME record at the zone apex.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_yandex as yandex

from campaignctl.stack.yandex.naming import Naming

YANDEX_NAME_SERVERS = ("ns1.yandexcloud.net.", "ns2.yandexcloud.net.")


@dataclass(frozen=True)
class DomainArgs:
    naming: Naming
    domain: str
    origin_host: pulumi.Input[str]
    """The API Gateway's domain: serves the site and the API."""
    certificate_id: str
    cdn_target: str | None


class Domain(pulumi.ComponentResource):
    zone: yandex.DnsZone
    cdn: yandex.CdnResource

    def __init__(self, name: str, args: DomainArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("campaignctl:yandex:Domain", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        n = args.naming
        fqdn = f"{args.domain.rstrip('.')}."
        self.zone = yandex.DnsZone(
            "zone",
            name=n.name("zone"),
            zone=fqdn,
            public=True,
            description=f"Delegated zone of {args.domain}",
            labels=n.labels,
            folder_id=n.target.folder_id,
            opts=child,
        )
        origins = yandex.CdnOriginGroup(
            "origin",
            name=n.name("origin"),
            use_next=True,
            origins=[yandex.CdnOriginGroupOriginArgs(source=args.origin_host)],
            opts=child,
        )
        self.cdn = yandex.CdnResource(
            "cdn",
            cname=args.domain,
            active=True,
            origin_group_id=origins.id.apply(int),
            origin_protocol="https",
            ssl_certificate=yandex.CdnResourceSslCertificateArgs(
                type="certificate_manager", certificate_manager_id=args.certificate_id
            ),
            options=yandex.CdnResourceOptionsArgs(
                # The gateway routes by its own host name; the API sends
                # Cache-Control: no-store, which the CDN honours.
                custom_host_header=args.origin_host,
                redirect_http_to_https=True,
                gzip_on=True,
                # Query strings matter: QR links carry the code (?c=...).
                ignore_query_params=False,
            ),
            opts=child,
        )
        if args.cdn_target:
            yandex.DnsRecordSet(
                "apex",
                zone_id=self.zone.id,
                name=fqdn,
                type="ANAME",
                ttl=600,
                datas=[args.cdn_target],
                opts=child,
            )
        self.register_outputs({"zone_id": self.zone.id})
