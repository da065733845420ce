"""Cloud Function entry points: ``http`` (API Gateway), ``queue`` (Message Queue trigger),
``timer`` and ``relay`` (timer triggers).

The runtime is built once per cold start (:mod:`.coldstart`) and kept while
the instance stays warm; every invocation reuses its database pool and its
event loop. ``http`` runs the same FastAPI app as the local server
(:mod:`.gateway` adapts the event); ``queue`` hands each message of a batch to
the delivery worker's handler for its topic, and raises if any fails so the
service delivers the batch again (receivers drop repeats by idempotency key;
after the queue's redrive limit a message goes to its dead-letter queue);
``timer`` runs what is due at the event's minute (the daily report, a draw
whose moment has come) and the housekeeping, all safe to run twice; ``relay``
(its own function, on an every-minute timer) moves the outbox into Message
Queue for a bounded time (:mod:`campaignctl.queue.relay`).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import threading
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from campaignctl.stack.yandex.coldstart import ColdStart, cold_start
from campaignctl.stack.yandex.gateway import serve_event

log = logging.getLogger(__name__)

RELAY_SECONDS = 40.0
"""How long a relay run claims new batches (the relay function's timeout is 60 s)."""

_lock = threading.Lock()
_state: dict[str, Any] = {}


def _token(context: object) -> str | None:
    token = getattr(context, "token", None)
    if isinstance(token, Mapping):
        value = token.get("access_token")
        return str(value) if value else None
    return None


def runtime(context: object = None) -> ColdStart:
    """The cold start of this instance (made on first use)."""
    with _lock:
        if "cold" not in _state:
            _state["cold"] = cold_start(os.environ, _token(context))
        cold: ColdStart = _state["cold"]
        return cold


def reset() -> None:
    """Forget the cold start (tests; a new campaign in the same process)."""
    with _lock:
        cold = _state.pop("cold", None)
        _state.pop("app", None)
        loop = _state.pop("loop", None)
        _state.pop("queues", None)
    if cold is not None:
        cold.context.engine.dispose()
    if loop is not None:
        loop.close()


def http(event: Mapping[str, Any], context: object = None) -> dict[str, Any]:
    cold = runtime(context)
    with _lock:
        if "app" not in _state:
            from campaignctl.runtime.app import create_app  # noqa: PLC0415

            _state["app"] = create_app(cold.campaign, context=cold.context)
            _state["loop"] = asyncio.new_event_loop()
        app, loop = _state["app"], _state["loop"]
    return serve_event(app, event, loop)


def queue(event: Mapping[str, Any], context: object = None) -> dict[str, Any]:
    from campaignctl.delivery.worker import build_worker  # noqa: PLC0415
    from campaignctl.queue import Message  # noqa: PLC0415

    cold = runtime(context)
    handlers = build_worker(cold.campaign, cold.context.engine).handlers
    delivered = 0
    failed: list[str] = []
    for item in event.get("messages", []):
        raw = item["details"]["message"]
        body = json.loads(raw["body"])
        attributes = raw.get("attributes") or {}
        message = Message(
            id=str(raw.get("message_id", "")),
            topic=str(body["topic"]),
            key=str(body["key"]),
            payload=body["payload"],
            attempt=int(attributes.get("ApproximateReceiveCount", 1)),
            receipt="",
        )
        handler = handlers.get(message.topic)
        try:
            if handler is None:
                raise LookupError(f"no handler for topic {message.topic!r}")
            handler(message)
        except Exception as exc:
            log.warning("delivery of %s (%s) failed: %s", message.key, message.topic, exc)
            failed.append(f"{message.key}: {type(exc).__name__}: {exc}")
            continue
        delivered += 1
    if failed:
        # The trigger returns the whole batch to the queue; delivered ones are
        # dropped by the receivers' idempotency keys on the next try.
        raise RuntimeError(f"{len(failed)} of {delivered + len(failed)} not delivered: {failed[0]}")
    return {"delivered": delivered}


def event_time(event: Mapping[str, Any]) -> datetime:
    """When a timer fired: ``messages[0].event_metadata.created_at`` (UTC), else now."""
    for item in event.get("messages", []):
        created = (item.get("event_metadata") or {}).get("created_at")
        if created:
            moment = datetime.fromisoformat(str(created).replace("Z", "+00:00"))
            return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return datetime.now(UTC)


def timer(event: Mapping[str, Any], context: object = None) -> dict[str, Any]:
    from campaignctl.stack.yandex.artefacts import reports_bucket  # noqa: PLC0415
    from campaignctl.stack.yandex.jobs import run_due  # noqa: PLC0415

    cold = runtime(context)
    bucket = reports_bucket(os.environ, cold.secrets)
    return run_due(cold.context, event_time(event), bucket)


def relay(event: Mapping[str, Any], context: object = None) -> dict[str, Any]:
    """Every minute: due outbox messages to their queues (others delivered here)."""
    from campaignctl.delivery.worker import build_worker  # noqa: PLC0415
    from campaignctl.queue import OutboxQueue, RetryPolicy  # noqa: PLC0415
    from campaignctl.queue.relay import Relay, route  # noqa: PLC0415
    from campaignctl.stack.yandex.mq import relay_queues  # noqa: PLC0415

    cold = runtime(context)
    with _lock:
        if "queues" not in _state:
            _state["queues"] = relay_queues(os.environ, cold.secrets)
        queues = _state["queues"]
    engine = cold.context.engine
    local = {
        topic: handler
        for topic, handler in build_worker(cold.campaign, engine).handlers.items()
        if route(topic) not in queues
    }
    tally = Relay(OutboxQueue(engine), queues, local=local, policy=RetryPolicy.from_env()).run(
        RELAY_SECONDS
    )
    result: dict[str, Any] = {
        "relayed": tally.relayed,
        "delivered": tally.local.delivered,
        "retried": tally.retried + tally.local.retried,
        "dead": tally.dead + tally.local.dead,
    }
    crm = cold.campaign.crm
    if crm is not None and crm.target == "csv":
        # A CRM that imports files: the relay spools its rows here (/tmp), so the
        # same run writes them out and keeps the file in the reports bucket.
        from campaignctl.stack.yandex.artefacts import (  # noqa: PLC0415
            reports_bucket,
            ship_crm_exports,
        )

        bucket = reports_bucket(os.environ, cold.secrets)
        if bucket is not None:
            result["uploaded"] = list(ship_crm_exports(cold.campaign, bucket))
    return result
