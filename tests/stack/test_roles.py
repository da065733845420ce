"""The deployer's roles are checked before `up`, against Resource Manager's listAccessBindings.

The API is a small HTTP server on 127.0.0.1 that answers as Yandex documents it
(``accessBindings[].roleId``, ``subject.id``/``type``, ``nextPageToken``).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from campaignctl.errors import UserError
from campaignctl.stack.yandex.roles import DEPLOYER_ROLES, DOMAIN_ROLES, check_roles

DEPLOYER = "serviceAccount:ajedeployer000000001"
FOLDER, CLOUD = "b1gq3w5e7r9t1y3u5i7o", "b1g8k2m4n6p8q0r2s4t6"


class Api:
    def __init__(self) -> None:
        self.bindings: dict[str, list[tuple[str, str]]] = {"folders": [], "clouds": []}
        self.forbidden: set[str] = set()
        self.tokens: list[str] = []

    def grant(self, kind: str, *roles: str, member: str = DEPLOYER) -> None:
        self.bindings[kind] += [(role, member) for role in roles]


@pytest.fixture
def api() -> Iterator[tuple[Api, dict[str, str]]]:
    state = Api()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            url = urlparse(self.path)
            kind, _, rest = url.path.removeprefix("/resource-manager/v1/").partition("/")
            state.tokens.append(self.headers.get("Authorization", ""))
            if kind in state.forbidden or not rest.endswith(":listAccessBindings"):
                self.send_response(403)
                self.end_headers()
                return
            # Two pages: Resource Manager pages by pageSize/pageToken.
            page = int(parse_qs(url.query).get("pageToken", ["0"])[0])
            rows = state.bindings[kind]
            half = (len(rows) + 1) // 2
            chunk = rows[:half] if page == 0 else rows[half:]
            body: dict[str, Any] = {
                "accessBindings": [
                    {"roleId": role, "subject": {"id": m.split(":")[1], "type": m.split(":")[0]}}
                    for role, m in chunk
                ]
            }
            if page == 0 and rows[half:]:
                body["nextPageToken"] = "1"
            data = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = {
        "YC_TOKEN": "iam-token",
        "CAMPAIGNCTL_RESOURCE_MANAGER_ENDPOINT": (
            f"http://127.0.0.1:{server.server_address[1]}/resource-manager/v1"
        ),
    }
    try:
        yield state, env
    finally:
        server.shutdown()


def _check(env: dict[str, str], domain: bool = False) -> None:
    check_roles(member=DEPLOYER, folder_id=FOLDER, cloud_id=CLOUD, domain=domain, env=env)


def test_missing_roles_are_named_with_the_command_that_grants_them(
    api: tuple[Api, dict[str, str]],
) -> None:
    state, env = api
    state.grant("folders", "editor", "functions.admin", "kms.admin")
    state.grant("folders", *DEPLOYER_ROLES, member="serviceAccount:ajesomeoneelse000001")
    with pytest.raises(UserError) as caught:
        _check(env)
    text = caught.value.render()
    assert "- resource-manager.admin: binds ymq.writer and ymq.reader on the folder" in text
    assert "- storage.admin:" in text
    assert "functions.admin:" not in text and "kms.admin:" not in text  # held
    assert (
        f"yc resource-manager folder add-access-binding {FOLDER} --role storage.admin "
        f"--subject {DEPLOYER}" in text
    )
    assert state.tokens and set(state.tokens) == {"Bearer iam-token"}


def test_roles_on_the_cloud_count_and_admin_holds_them_all(
    api: tuple[Api, dict[str, str]],
) -> None:
    state, env = api
    half = list(DEPLOYER_ROLES)
    state.grant("folders", *half[:5])
    state.grant("clouds", *half[5:])
    _check(env)
    with pytest.raises(UserError, match=r"dns\.editor"):
        _check(env, domain=True)
    state.grant("folders", *DOMAIN_ROLES)
    _check(env, domain=True)
    state.bindings = {"folders": [("admin", DEPLOYER)], "clouds": []}
    _check(env, domain=True)


def test_what_cannot_be_read_is_not_held_against_the_deployer(
    api: tuple[Api, dict[str, str]],
) -> None:
    state, env = api
    state.forbidden = {"folders", "clouds"}
    _check(env)  # nothing readable: nothing to say
    _check({**env, "YC_TOKEN": ""})  # no IAM token (a key file): not checked
    state.forbidden = set()
    _check({**env, "CAMPAIGNCTL_ROLE_CHECK": "off"})
    with pytest.raises(UserError) as caught:
        _check(env)
    assert "not visible here: CAMPAIGNCTL_ROLE_CHECK=off deploys" in caught.value.render()
