"""The API Gateway's OpenAPI document: static paths to the site bucket, the rest to functions.

Yandex API Gateway reads the routing from ``x-yc-apigateway-integration``
extensions: ``object_storage`` serves files from the site bucket,
``cloud_functions`` invokes the http function with the gateway's service
account. The most specific path wins, so the webhooks and ``/api/*`` take
precedence over the greedy static path, and a draw's published files
(``/api/v1/draws/{round}/{file}``, one of :data:`DRAW_FILES`) come from
``draws/{round}/{file}`` of the private reports bucket, where the draw's timer
put them, rather than from the http function (whose local folder is empty in
the cloud). ``/api/v1/draws`` itself, the list, stays on the function.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

SMS_INBOUND_PATH = "/api/v1/sms/inbound"
HOTLINE_WEBHOOK_PATH = "/api/v1/hotline/webhook"
API_PREFIX = "/api/"
DRAW_FILES_PATH = "/api/v1/draws/{round}/{file}"
DRAWS_PREFIX = "draws"
"""Where the jobs function puts a drawn round's files in the reports bucket."""
DRAW_FILES = ("protocol.json", "protocol.html", "protocol.pdf", "entries.csv")
"""The only objects the gateway serves from the reports bucket (the path's ``file`` enum)."""
ROUND_PATTERN = "^[a-z0-9][a-z0-9_-]{0,40}$"
"""A draw's id, as the campaign schema's ``$defs/id`` allows it."""


@dataclass(frozen=True)
class Routes:
    title: str
    site_bucket: str
    http_function_id: str
    service_account_id: str
    sms: bool
    hotline: bool
    reports_bucket: str


def _path_parameter(name: str) -> list[dict[str, Any]]:
    return [{"name": name, "in": "path", "required": True, "schema": {"type": "string"}}]


def _draw_files(r: Routes) -> dict[str, Any]:
    parameters = [
        {
            "name": "round",
            "in": "path",
            "required": True,
            "schema": {"type": "string", "pattern": ROUND_PATTERN},
        },
        {
            "name": "file",
            "in": "path",
            "required": True,
            "schema": {"type": "string", "enum": list(DRAW_FILES)},
        },
    ]
    return {
        "get": {
            "parameters": parameters,
            # API Gateway checks parameters against their schemas only with a validator:
            # without it the enum and the pattern are documentation, and any object under
            # draws/ could be asked for.
            "x-yc-apigateway-validator": {"validateRequestParameters": True},
            "x-yc-apigateway-integration": {
                "type": "object_storage",
                "bucket": r.reports_bucket,
                "object": f"{DRAWS_PREFIX}/{{round}}/{{file}}",
                "service_account_id": r.service_account_id,
            },
        }
    }


def _function(r: Routes) -> dict[str, Any]:
    return {
        "type": "cloud_functions",
        "function_id": r.http_function_id,
        "service_account_id": r.service_account_id,
    }


def _bucket(r: Routes, key: str) -> dict[str, Any]:
    return {
        "type": "object_storage",
        "bucket": r.site_bucket,
        "object": key,
        "error_object": "404.html",
        "service_account_id": r.service_account_id,
    }


def openapi_document(r: Routes) -> dict[str, Any]:
    paths: dict[str, Any] = {
        "/": {"get": {"x-yc-apigateway-integration": _bucket(r, "index.html")}},
        "/{file+}": {
            "get": {
                "parameters": _path_parameter("file"),
                "x-yc-apigateway-integration": _bucket(r, "{file}"),
            }
        },
        f"{API_PREFIX}{{path+}}": {
            "x-yc-apigateway-any-method": {
                "parameters": _path_parameter("path"),
                "x-yc-apigateway-integration": _function(r),
            }
        },
        DRAW_FILES_PATH: _draw_files(r),
    }
    webhook = {"post": {"x-yc-apigateway-integration": _function(r)}}
    if r.sms:
        paths[SMS_INBOUND_PATH] = webhook
    if r.hotline:
        paths[HOTLINE_WEBHOOK_PATH] = webhook
    return {"openapi": "3.0.0", "info": {"title": r.title, "version": "1.0.0"}, "paths": paths}


def openapi_spec(r: Routes) -> str:
    """The document as the YAML string ``ApiGateway.spec`` takes."""
    return yaml.safe_dump(openapi_document(r), sort_keys=False, allow_unicode=True)
