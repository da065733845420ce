"""Yandex SmartCaptcha server-side token validation, behind a small interface.

The page gets a token from the widget (``smart-token`` form field); the server
asks ``https://smartcaptcha.yandexcloud.net/validate`` whether it is good. The
check is off on the local target unless the spec turns it on and a secret is
available. A failing or unreachable service lets the request through and logs
it: the rate limits still apply, and a captcha outage must not stop a campaign.
"""

from __future__ import annotations

import json
import logging
import os
import urllib.error
import urllib.parse
import urllib.request
from typing import Protocol

from campaignctl.errors import UserError
from campaignctl.model.policy import Captcha

VALIDATE_URL = "https://smartcaptcha.yandexcloud.net/validate"
log = logging.getLogger(__name__)


class CaptchaVerifier(Protocol):
    def verify(self, token: str, ip: str | None) -> bool: ...


class SmartCaptcha:
    def __init__(self, secret: str, url: str = VALIDATE_URL, timeout: float = 2.0) -> None:
        self.secret = secret
        self.url = url
        self.timeout = timeout

    def verify(self, token: str, ip: str | None) -> bool:
        if not token:
            return False
        form = {"secret": self.secret, "token": token}
        if ip:
            form["ip"] = ip
        data = urllib.parse.urlencode(form).encode()
        request = urllib.request.Request(self.url, data=data, method="POST")  # noqa: S310 - https URL from code or a test
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                answer = json.loads(response.read() or b"{}")
        except (urllib.error.URLError, TimeoutError, ValueError, OSError) as exc:
            log.warning("SmartCaptcha unreachable, letting the request through: %s", exc)
            return True
        return bool(answer.get("status") == "ok")


class CaptchaSecretMissing(UserError):
    """The spec asks for a captcha but its secret cannot be read."""


def resolve_secret(ref: str | None) -> str | None:
    """``env:NAME`` → the variable's value."""
    if ref and ref.startswith("env:"):
        return os.environ.get(ref[4:]) or None
    return None


def verifier_for(
    spec: Captcha | None, *, local: bool, url: str = VALIDATE_URL
) -> SmartCaptcha | None:
    """The verifier the spec asks for; None when off (no captcha, ``none``, or local target)."""
    if spec is None or spec.provider == "none" or local:
        return None
    secret = resolve_secret(spec.secret_ref)
    if secret is None:
        raise CaptchaSecretMissing(
            "anti_fraud.captcha needs its server key",
            hint=f"set {spec.secret_ref or 'anti_fraud.captcha.secret_ref (env:NAME)'}",
        )
    return SmartCaptcha(secret, url)
