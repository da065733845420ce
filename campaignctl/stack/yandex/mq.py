"""The relay function's Message Queue clients, from its environment (no Pulumi here).

The stack sets one ``CAMPAIGNCTL_QUEUE_URL_<WORKER>`` per queue (its URL), the
access key id of the relay's static key (``CAMPAIGNCTL_STATIC_ACCESS_KEY_ID``) and
the secret half as a KMS ciphertext (decrypted at cold start as
``static_secret_key``). ``CAMPAIGNCTL_MQ_ENDPOINT`` points the client elsewhere
(tests: an SQS-compatible server on 127.0.0.1).
"""

from __future__ import annotations

from collections.abc import Mapping

from campaignctl.queue.sqs import YANDEX_ENDPOINT, YANDEX_REGION, SqsQueue, sqs_client
from campaignctl.stack.yandex.coldstart import STATIC_ACCESS_KEY_ENV, static_key
from campaignctl.stack.yandex.naming import queue_url_variable

ENDPOINT_ENV = "CAMPAIGNCTL_MQ_ENDPOINT"
REGION_ENV = "CAMPAIGNCTL_MQ_REGION"
ACCESS_KEY_ENV = STATIC_ACCESS_KEY_ENV
WORKERS = ("crm", "sms")
"""The queues the stack can make (:func:`campaignctl.stack.yandex.queues.workers`)."""


def relay_queues(env: Mapping[str, str], secrets: Mapping[str, str]) -> dict[str, SqsQueue]:
    """The campaign's queues by worker name; empty when the stack made none."""
    urls = {w: env[queue_url_variable(w)] for w in WORKERS if env.get(queue_url_variable(w))}
    if not urls:
        return {}
    access_key, secret_key = static_key(
        env,
        secrets,
        missing=f"{ACCESS_KEY_ENV} or its sealed secret half is not set",
        hint="the stack gives the relay function a static key for Message Queue",
    )
    client = sqs_client(
        env.get(ENDPOINT_ENV) or YANDEX_ENDPOINT,
        region=env.get(REGION_ENV) or YANDEX_REGION,
        access_key=access_key,
        secret_key=secret_key,
    )
    # The relay only sends: the dead-letter queues are the service's (redrive policy).
    return {worker: SqsQueue(client, url, dead_url="") for worker, url in urls.items()}
