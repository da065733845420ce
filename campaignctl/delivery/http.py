"""A small HTTP client for deliveries: one request, a verdict the worker understands.

Standard library only: a delivery is one JSON request with a timeout, and the
worker must see every failure as :class:`~campaignctl.queue.DeliveryFailed`
(with the receiver's ``Retry-After`` when it sent one), never as a hang.
"""

from __future__ import annotations

import email.utils
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from campaignctl.queue import DeliveryFailed

TIMEOUT_SECONDS = 15.0
USER_AGENT = "campaignctl-delivery/1"
RETRY_STATUSES = frozenset({429, 503})


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


def retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def send(
    method: str,
    url: str,
    body: bytes | None,
    headers: dict[str, str],
    *,
    timeout: float = TIMEOUT_SECONDS,
) -> Response:
    """Send one request; a 2xx answer returns, anything else raises DeliveryFailed."""
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked by the spec (http/https)
        url, data=body, method=method, headers={"User-Agent": USER_AGENT, **headers}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310
            return Response(answer.status, answer.read())
    except urllib.error.HTTPError as exc:
        text = exc.read()[:300].decode("utf-8", "replace")
        wait = retry_after(exc.headers.get("Retry-After")) if exc.status in RETRY_STATUSES else None
        if exc.status == 429 and wait is None:
            wait = 1.0
        raise DeliveryFailed(f"HTTP {exc.status} from {url}: {text}", retry_after=wait) from None
    except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
        reason = getattr(exc, "reason", exc)
        raise DeliveryFailed(f"{url} unreachable: {reason}") from None


def post_json(url: str, payload: object, headers: dict[str, str] | None = None) -> Response:
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    return send("POST", url, body, {"Content-Type": "application/json", **(headers or {})})
