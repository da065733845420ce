"""The queue on an SQS-compatible service: Yandex Message Queue in the cloud stack.

A main queue and a dead queue. On FIFO queues (``NAME.fifo``, what
:meth:`SqsQueue.create` makes by default) every message is its own message
group, so FIFO ordering never holds one message back behind another, and its
deduplication id is derived from the idempotency key: the service drops a
second send of the same key within its five-minute deduplication window. The
cloud stack uses standard queues, because a Cloud Functions trigger reads
standard queues only; there a repeated send arrives twice, and the receiver's
dedupe by ``Idempotency-Key`` drops the second (it covers FIFO queues after
the window too). A claim is a receive
with a visibility timeout (the lease); the attempt number is the service's
``ApproximateReceiveCount``. A dead letter is sent to the dead queue with its
last error and removed from the main queue.

SQS cannot show messages without receiving them, so :meth:`SqsQueue.messages`
lists dead letters only (it receives and releases them at once); depths come
from the queue attributes and are approximate.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Generator, Sequence
from contextlib import closing
from typing import Any

from campaignctl.queue.message import (
    STATES,
    Message,
    MessageInfo,
    Payload,
    State,
    check_key,
    clip,
)

YANDEX_ENDPOINT = "https://message-queue.api.cloud.yandex.net"
YANDEX_REGION = "ru-central1"
MAX_VISIBILITY_SECONDS = 43_200  # the SQS ceiling, 12 hours
MAX_BATCH = 10  # the SQS ceiling of SendMessageBatch
_PEEK_SECONDS = 30


def _dedup_id(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sqs_client(
    endpoint_url: str = YANDEX_ENDPOINT,
    *,
    region: str = YANDEX_REGION,
    access_key: str | None = None,
    secret_key: str | None = None,
) -> Any:
    """A boto3 SQS client for Yandex Message Queue (or any SQS-compatible endpoint)."""
    import boto3  # type: ignore[import-untyped]  # noqa: PLC0415 - boto3 takes a second to import; only the cloud path needs it

    return boto3.client(
        "sqs",
        endpoint_url=endpoint_url,
        region_name=region,
        aws_access_key_id=access_key,
        aws_secret_access_key=secret_key,
    )


class SqsQueue:
    """The :class:`~campaignctl.queue.message.Queue` over two FIFO SQS queues."""

    def __init__(self, client: Any, queue_url: str, dead_url: str) -> None:
        self.client = client
        self.queue_url = queue_url
        self.dead_url = dead_url

    @classmethod
    def create(
        cls, client: Any, name: str, *, fifo: bool = True, max_receives: int | None = None
    ) -> SqsQueue:
        """Create (or find) ``NAME.fifo`` and its dead queue ``NAME-dead.fifo``.

        ``fifo=False`` makes standard queues ``NAME`` and ``NAME-dead`` (what a
        Cloud Functions trigger can read); ``max_receives`` sets the main queue's
        redrive policy, so the service itself moves a message received that many
        times to the dead queue (what happens under a queue trigger).
        """
        suffix = ".fifo" if fifo else ""
        attributes = {"FifoQueue": "true", "ContentBasedDeduplication": "false"} if fifo else {}
        dead = client.create_queue(QueueName=f"{name}-dead{suffix}", Attributes=attributes)
        main_attributes = dict(attributes)
        if max_receives is not None:
            arn = client.get_queue_attributes(
                QueueUrl=dead["QueueUrl"], AttributeNames=["QueueArn"]
            )["Attributes"]["QueueArn"]
            main_attributes["RedrivePolicy"] = json.dumps(
                {"deadLetterTargetArn": arn, "maxReceiveCount": str(max_receives)}
            )
        main = client.create_queue(QueueName=f"{name}{suffix}", Attributes=main_attributes)
        return cls(client, main["QueueUrl"], dead["QueueUrl"])

    @staticmethod
    def _fifo(url: str, dedup: str) -> dict[str, str]:
        """Group and deduplication ids, which only FIFO queues accept."""
        if not url.endswith(".fifo"):
            return {}
        return {"MessageGroupId": dedup[:64], "MessageDeduplicationId": dedup[:128]}

    def _send(self, url: str, body: dict[str, Any], dedup: str) -> None:
        self.client.send_message(
            QueueUrl=url,
            MessageBody=json.dumps(body, ensure_ascii=False, sort_keys=True),
            **self._fifo(url, dedup),
        )

    def enqueue(self, topic: str, key: str, payload: Payload) -> None:
        check_key(key)
        self._send(self.queue_url, {"topic": topic, "key": key, "payload": payload}, _dedup_id(key))

    def enqueue_batch(self, items: Sequence[tuple[str, str, Payload]]) -> dict[str, str]:
        """Send up to ten ``(topic, key, payload)`` in one request; the failed keys and why.

        A message is in the queue when this returns without its key; the service
        may accept some entries of a batch and refuse others.
        """
        if len(items) > MAX_BATCH:
            raise ValueError(f"at most {MAX_BATCH} messages per batch, got {len(items)}")
        if not items:
            return {}
        entries = [
            {
                "Id": str(n),
                "MessageBody": json.dumps(
                    {"topic": topic, "key": check_key(key), "payload": payload},
                    ensure_ascii=False,
                    sort_keys=True,
                ),
                **self._fifo(self.queue_url, _dedup_id(key)),
            }
            for n, (topic, key, payload) in enumerate(items)
        ]
        answer = self.client.send_message_batch(QueueUrl=self.queue_url, Entries=entries)
        failed = {
            items[int(f["Id"])][1]: f"{f.get('Code', 'error')}: {f.get('Message', '')}".strip()
            for f in answer.get("Failed", [])
        }
        accepted = {int(s["Id"]) for s in answer.get("Successful", [])}
        for n, (_topic, key, _payload) in enumerate(items):
            if n not in accepted and key not in failed:
                failed[key] = "not in the service's answer"
        return failed

    def claim(self, limit: int, lease_seconds: float) -> list[Message]:
        lease = min(MAX_VISIBILITY_SECONDS, max(1, math.ceil(lease_seconds)))
        messages: list[Message] = []
        while len(messages) < limit:
            received = self.client.receive_message(
                QueueUrl=self.queue_url,
                MaxNumberOfMessages=min(10, limit - len(messages)),
                VisibilityTimeout=lease,
                MessageSystemAttributeNames=["ApproximateReceiveCount"],
                WaitTimeSeconds=0,
            ).get("Messages", [])
            if not received:
                break
            for raw in received:
                body = json.loads(raw["Body"])
                messages.append(
                    Message(
                        id=raw["MessageId"],
                        topic=body["topic"],
                        key=body["key"],
                        payload=body["payload"],
                        attempt=int(raw["Attributes"]["ApproximateReceiveCount"]),
                        receipt=raw["ReceiptHandle"],
                    )
                )
        return messages

    def ack(self, message: Message) -> None:
        self.client.delete_message(QueueUrl=self.queue_url, ReceiptHandle=message.receipt)

    def retry_later(self, message: Message, error: str, delay_seconds: float) -> None:
        # The error of a retry is not kept: SQS has no per-message state to write it to.
        self.client.change_message_visibility(
            QueueUrl=self.queue_url,
            ReceiptHandle=message.receipt,
            VisibilityTimeout=min(MAX_VISIBILITY_SECONDS, max(0, math.ceil(delay_seconds))),
        )

    def bury(self, message: Message, error: str) -> None:
        body = {
            "topic": message.topic,
            "key": message.key,
            "payload": message.payload,
            "attempts": message.attempt,
            "error": clip(error),
        }
        self._send(self.dead_url, body, _dedup_id(f"{message.key}:{message.id}:dead"))
        self.ack(message)

    def _peek_dead(self) -> Generator[dict[str, Any]]:
        """Every dead letter once, hidden while the caller looks at it, then released."""
        seen: set[str] = set()
        taken: list[str] = []
        try:
            while True:
                received = self.client.receive_message(
                    QueueUrl=self.dead_url,
                    MaxNumberOfMessages=10,
                    VisibilityTimeout=_PEEK_SECONDS,
                    WaitTimeSeconds=0,
                ).get("Messages", [])
                fresh = [m for m in received if m["MessageId"] not in seen]
                if not fresh:
                    break
                for raw in fresh:
                    seen.add(raw["MessageId"])
                    taken.append(raw["ReceiptHandle"])
                    yield raw
        finally:
            for handle in taken:
                try:
                    self.client.change_message_visibility(
                        QueueUrl=self.dead_url, ReceiptHandle=handle, VisibilityTimeout=0
                    )
                except Exception:  # noqa: S112 - deleted while we looked: nothing to release
                    continue

    def messages(self, state: State | None = None, limit: int = 100) -> list[MessageInfo]:
        if state not in (None, "dead"):
            return []
        found: list[MessageInfo] = []
        with closing(self._peek_dead()) as dead:
            for raw in dead:
                body = json.loads(raw["Body"])
                found.append(
                    MessageInfo(
                        id=raw["MessageId"],
                        topic=body["topic"],
                        key=body["key"],
                        state="dead",
                        attempts=int(body.get("attempts", 0)),
                        last_error=body.get("error"),
                        created_at=None,
                        next_attempt_at=None,
                    )
                )
                if len(found) >= limit:
                    break
        return found

    def retry_dead(self, ids: Sequence[str] = ()) -> int:
        wanted = set(ids)
        moved = 0
        for raw in self._peek_dead():
            if wanted and raw["MessageId"] not in wanted:
                continue
            body = json.loads(raw["Body"])
            again = {"topic": body["topic"], "key": body["key"], "payload": body["payload"]}
            # A new deduplication id: the original one may still be inside its window.
            self._send(self.queue_url, again, _dedup_id(f"{body['key']}:{raw['MessageId']}"))
            self.client.delete_message(QueueUrl=self.dead_url, ReceiptHandle=raw["ReceiptHandle"])
            moved += 1
        return moved

    def purge_dead(self) -> int:
        purged = 0
        for raw in self._peek_dead():
            self.client.delete_message(QueueUrl=self.dead_url, ReceiptHandle=raw["ReceiptHandle"])
            purged += 1
        return purged

    def depth(self) -> dict[State, int]:
        names = [
            "ApproximateNumberOfMessages",
            "ApproximateNumberOfMessagesNotVisible",
            "ApproximateNumberOfMessagesDelayed",
        ]
        main = self.client.get_queue_attributes(QueueUrl=self.queue_url, AttributeNames=names)
        dead = self.client.get_queue_attributes(QueueUrl=self.dead_url, AttributeNames=names)
        a, d = main["Attributes"], dead["Attributes"]
        counts: dict[State, int] = dict.fromkeys(STATES, 0)
        counts["pending"] = int(a[names[0]]) + int(a[names[2]])
        counts["in_flight"] = int(a[names[1]])
        counts["dead"] = sum(int(d[n]) for n in names)
        return counts
