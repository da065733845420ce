"""KMS Decrypt at a function's cold start: the stack's secrets arrive only as ciphertexts.

``POST {endpoint}/kms/v1/keys/{keyId}:decrypt`` with ``{"ciphertext", "aadContext"}``
(both base64) and the function's IAM token (the runtime hands it to the handler
as ``context.token``) answers ``{"plaintext": base64}``. The AAD binds a
ciphertext to its campaign and name (``<slug>:<secret>``,
:func:`campaignctl.stack.yandex.vault.aad_context`).
"""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request

from campaignctl.errors import UserError

ENDPOINT = "https://kms.yandex"
ENDPOINT_ENV = "CAMPAIGNCTL_KMS_ENDPOINT"


class DecryptFailed(UserError):
    """KMS refused or could not be reached: the function cannot start."""


def decrypt(ciphertext: str, *, key_id: str, aad: str, token: str, endpoint: str = ENDPOINT) -> str:
    body = json.dumps(
        {
            "ciphertext": ciphertext,
            "aadContext": base64.b64encode(aad.encode("utf-8")).decode("ascii"),
        }
    ).encode()
    request = urllib.request.Request(  # noqa: S310 - https endpoint, or a test's loopback
        f"{endpoint.rstrip('/')}/kms/v1/keys/{key_id}:decrypt",
        data=body,
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            answer = json.loads(response.read())
    except urllib.error.HTTPError as exc:
        raise DecryptFailed(f"KMS refused to decrypt {aad}: HTTP {exc.code}") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise DecryptFailed(f"KMS unreachable while decrypting {aad}: {exc}") from None
    return base64.b64decode(answer["plaintext"]).decode("utf-8")
