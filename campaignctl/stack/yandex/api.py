"""The API Gateway in front of the http function and the site bucket."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_yandex as yandex

from campaignctl.stack.yandex.naming import Naming
from campaignctl.stack.yandex.openapi import Routes, openapi_spec

INVOKER_ROLE = "functions.functionInvoker"


@dataclass(frozen=True)
class ApiArgs:
    naming: Naming
    title: str
    site_bucket: pulumi.Input[str]
    reports_bucket: pulumi.Input[str]
    """Serves the drawn rounds' files (``draws/*``) to the gateway's account."""
    http_function: yandex.Function
    service_account_id: pulumi.Input[str]
    sms: bool
    hotline: bool


class Api(pulumi.ComponentResource):
    gateway: yandex.ApiGateway
    url: pulumi.Output[str]

    def __init__(self, name: str, args: ApiArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("campaignctl:yandex:Api", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        n = args.naming
        # The gateway may invoke the http function and nothing else.
        yandex.FunctionIamBinding(
            "http-invoker",
            function_id=args.http_function.id,
            role=INVOKER_ROLE,
            members=[pulumi.Output.concat("serviceAccount:", args.service_account_id)],
            opts=child,
        )
        spec = pulumi.Output.all(
            args.site_bucket, args.http_function.id, args.service_account_id, args.reports_bucket
        ).apply(
            lambda v: openapi_spec(
                Routes(
                    args.title,
                    v[0],
                    v[1],
                    v[2],
                    sms=args.sms,
                    hotline=args.hotline,
                    reports_bucket=v[3],
                )
            )
        )
        self.gateway = yandex.ApiGateway(
            "gateway",
            name=n.name("api"),
            description=f"Site and API of {n.slug}",
            spec=spec,
            labels=n.labels,
            folder_id=n.target.folder_id,
            opts=child,
        )
        self.url = pulumi.Output.concat("https://", self.gateway.domain)
        self.register_outputs({"url": self.url})
