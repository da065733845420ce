"""A Message Queue trigger on an SQS-compatible server, as Yandex documents it.

The trigger receives a batch, hands it to the function as a Message Queue
event (the recorded shape in ``events/ymq_message_batch.json``), deletes the
batch when the function returns and puts it back (visibility 0) when it
raises; the queue's redrive policy moves a message received too often to the
dead-letter queue. See https://yandex.cloud/en/docs/functions/concepts/trigger/ymq-trigger.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from campaignctl.queue.sqs import SqsQueue

EVENT = Path(__file__).parent / "events" / "ymq_message_batch.json"
Function = Callable[[Mapping[str, Any], object], Any]


def event_for(received: list[dict[str, Any]], queue_arn: str) -> dict[str, Any]:
    (template,) = json.loads(EVENT.read_text(encoding="utf-8"))["messages"]
    messages = []
    for raw in received:
        item = copy.deepcopy(template)
        item["details"]["queue_id"] = queue_arn
        message = item["details"]["message"]
        message["message_id"] = raw["MessageId"]
        message["md5_of_body"] = raw["MD5OfBody"]
        message["body"] = raw["Body"]
        message["attributes"] = dict(raw.get("Attributes", {}))
        messages.append(item)
    return {"messages": messages}


def fire(queue: SqsQueue, function: Function, context: object, batch_size: int = 10) -> int:
    """One trigger round: how many messages the function was given (0: the queue is empty)."""
    client = queue.client
    received = client.receive_message(
        QueueUrl=queue.queue_url,
        MaxNumberOfMessages=batch_size,
        MessageSystemAttributeNames=["All"],
        WaitTimeSeconds=0,
    ).get("Messages", [])
    if not received:
        return 0
    arn = client.get_queue_attributes(QueueUrl=queue.queue_url, AttributeNames=["QueueArn"])
    try:
        function(event_for(received, arn["Attributes"]["QueueArn"]), context)
    except Exception:
        for raw in received:
            client.change_message_visibility(
                QueueUrl=queue.queue_url, ReceiptHandle=raw["ReceiptHandle"], VisibilityTimeout=0
            )
        return len(received)
    for raw in received:
        client.delete_message(QueueUrl=queue.queue_url, ReceiptHandle=raw["ReceiptHandle"])
    return len(received)
