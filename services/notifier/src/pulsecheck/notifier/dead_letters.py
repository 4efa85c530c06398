"""The notifier's dead-letter path, from faust's record shape to the shared letter.

faust gives a message's timestamp in float seconds where a letter wants integer milliseconds
(passing it as is once failed validation, crashed the agent and lost the record). Publishing a
letter never raises: a record that cannot even be dead-lettered is logged, counted and skipped.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from pulsecheck.notifier.metrics import NotifierMetrics
from pulsecheck.shared.kafka.deadletter import KEPT_KEY_BYTES, Consumed, dead_letter_for

log = logging.getLogger("pulsecheck.notifier")

# (topic, key, value): sends one record and waits for the broker's answer
Send = Callable[[str, bytes | None, bytes], Awaitable[None]]


def consumed_from_faust(message: Any) -> Consumed:
    """A faust `Message` as the record a dead letter describes."""
    timestamp = message.timestamp
    return Consumed(
        topic=message.topic,
        partition=message.partition,
        offset=message.offset,
        key=message.key,
        value=message.value,
        timestamp=round(timestamp * 1000) if timestamp is not None else 0,
    )


class DeadLetters:
    def __init__(self, topic: str, consumer: str, send: Send, metrics: NotifierMetrics) -> None:
        self._topic = topic
        self._consumer = consumer
        self._send = send
        self._metrics = metrics

    async def send(self, message: Any, kind: str, reason: str) -> None:
        try:
            record = consumed_from_faust(message)
            letter = dead_letter_for(record, self._consumer, kind, reason, datetime.now(UTC))
            key = record.key[:KEPT_KEY_BYTES] if record.key is not None else None
            await self._send(self._topic, key, letter.model_dump_json().encode())
        except Exception:
            self._metrics.dead_letter_failures.inc()
            log.exception("could not publish a dead letter; the record is skipped")
            return
        self._metrics.dead_letters.inc()
