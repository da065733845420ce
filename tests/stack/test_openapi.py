"""The gateway's routes: static files from the bucket, API and webhooks to the http function."""

from __future__ import annotations

import re

import yaml

from campaignctl.draws.api import PUBLISHED_FILES
from campaignctl.spec.schema import campaign_schema
from campaignctl.stack.yandex.offline import OfflineStack
from campaignctl.stack.yandex.openapi import Routes, openapi_document


def test_routes() -> None:
    doc = openapi_document(
        Routes(
            "Акция",
            "site-bucket",
            "fn-http",
            "sa-gw",
            sms=True,
            hotline=True,
            reports_bucket="reports-bucket",
        )
    )
    paths = doc["paths"]
    assert list(paths) == [
        "/",
        "/{file+}",
        "/api/{path+}",
        "/api/v1/draws/{round}/{file}",
        "/api/v1/sms/inbound",
        "/api/v1/hotline/webhook",
    ]
    static = paths["/{file+}"]["get"]["x-yc-apigateway-integration"]
    assert static == {
        "type": "object_storage",
        "bucket": "site-bucket",
        "object": "{file}",
        "error_object": "404.html",
        "service_account_id": "sa-gw",
    }
    api = paths["/api/{path+}"]["x-yc-apigateway-any-method"]["x-yc-apigateway-integration"]
    assert api == {
        "type": "cloud_functions",
        "function_id": "fn-http",
        "service_account_id": "sa-gw",
    }
    sms = paths["/api/v1/sms/inbound"]["post"]["x-yc-apigateway-integration"]
    assert sms["function_id"] == "fn-http"
    # A draw's published files come from the private reports bucket, read by the gateway.
    draw = paths["/api/v1/draws/{round}/{file}"]
    assert list(draw) == ["get"]
    assert draw["get"]["x-yc-apigateway-integration"] == {
        "type": "object_storage",
        "bucket": "reports-bucket",
        "object": "draws/{round}/{file}",
        "service_account_id": "sa-gw",
    }
    params = {p["name"]: p for p in draw["get"]["parameters"]}
    assert params["round"]["in"] == "path"
    assert params["round"]["required"] is True
    assert params["file"]["in"] == "path"
    assert params["file"]["required"] is True
    # Only the four published files; nothing else under draws/ (nor ../) is reachable,
    # and the gateway enforces it: parameters are checked only with a validator.
    assert sorted(params["file"]["schema"]["enum"]) == sorted(PUBLISHED_FILES)
    assert draw["get"]["x-yc-apigateway-validator"] == {"validateRequestParameters": True}
    rounds = re.compile(params["round"]["schema"]["pattern"])
    assert rounds.pattern == campaign_schema()["$defs"]["id"]["pattern"]
    assert rounds.match("week-01") and not rounds.match("..") and not rounds.match("a/b")
    # The list of rounds (from the database) stays on the function.
    assert "/api/v1/draws" not in paths


def test_webhooks_only_for_enabled_channels() -> None:
    doc = openapi_document(Routes("t", "b", "f", "s", sms=False, hotline=False, reports_bucket="r"))
    assert "/api/v1/sms/inbound" not in doc["paths"]
    assert "/api/v1/hotline/webhook" not in doc["paths"]


def test_the_stack_spec_points_at_its_own_bucket_and_function(stack: OfflineStack) -> None:
    (gateway,) = stack.of_type("yandex:ApiGateway")
    spec = yaml.safe_load(gateway.inputs["spec"])
    (site,) = [b for b in stack.of_type("yandex:StorageBucket") if b.name == "site"]
    root = spec["paths"]["/"]["get"]["x-yc-apigateway-integration"]
    assert root["bucket"] == site.inputs["bucket"]
    assert root["service_account_id"] == "sa-gateway-id"
    api = spec["paths"]["/api/{path+}"]["x-yc-apigateway-any-method"]["x-yc-apigateway-integration"]
    assert api["function_id"] == "http-id"
    (reports,) = [b for b in stack.of_type("yandex:StorageBucket") if b.name == "reports"]
    draw = spec["paths"]["/api/v1/draws/{round}/{file}"]["get"]["x-yc-apigateway-integration"]
    assert draw["bucket"] == reports.inputs["bucket"]
    assert draw["service_account_id"] == "sa-gateway-id"
    (binding,) = [b for b in stack.of_type("yandex:FunctionIamBinding") if b.name == "http-invoker"]
    assert binding.inputs == {
        "functionId": "http-id",
        "role": "functions.functionInvoker",
        "members": ["serviceAccount:sa-gateway-id"],
    }
