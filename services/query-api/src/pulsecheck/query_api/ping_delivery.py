"""Pings are answered once queued in the producer, not once the broker acknowledged them.

What a 200 from `/ping` means: the ping is in this replica's producer (idempotent, acks=all),
which retries it until the broker has it or its delivery timeout passes. It is lost only if
the replica dies in the milliseconds before the ack. healthchecks.io answers after recording;
PulseCheck trades that for latency (the broker's ack was the whole p99: bench/heartbeats)
because a lost ping costs at most one "missed" report that the job's next ping repairs.

While the broker is not confirming (a delivery failed and none succeeded since, or too many
pings are still unconfirmed), a ping waits for its own ack as every other command does, so an
outage shows as a 503 the job can retry, never as 200s that go nowhere.
"""

from __future__ import annotations

import asyncio
import logging

from prometheus_client import Counter

from pulsecheck.query_api.api.errors import event_bus_unavailable
from pulsecheck.shared.kafka.producer import EventProducer

log = logging.getLogger(__name__)

# far above what a healthy broker leaves unconfirmed (a few batches), far below the buffer
MAX_UNCONFIRMED = 1_000


class PingDelivery:
    def __init__(
        self,
        producer: EventProducer,
        confirm_within: float,
        failures: Counter,
        max_unconfirmed: int = MAX_UNCONFIRMED,
    ) -> None:
        self._producer = producer
        self._confirm_within = confirm_within
        self._failures = failures
        self._max_unconfirmed = max_unconfirmed
        self._unconfirmed = 0
        self._broker_confirming = True

    @property
    def waits_for_acks(self) -> bool:
        return not self._broker_confirming or self._unconfirmed >= self._max_unconfirmed

    async def deliver(self, topic: str, value: bytes, key: str) -> None:
        """Queue the ping; wait for the broker's ack only while it is not confirming (503 if
        it does not confirm in time)."""
        try:
            async with asyncio.timeout(self._confirm_within):
                must_wait = self.waits_for_acks
                ack = await self._producer.raw.send(topic, value, key=key.encode())
                self._unconfirmed += 1
                ack.add_done_callback(self._settled)
                if must_wait:
                    # shielded: a timeout here must not cancel a delivery the producer still owns
                    await asyncio.shield(ack)
        except Exception as exc:
            raise event_bus_unavailable() from exc

    def _settled(self, ack: asyncio.Future[object]) -> None:
        self._unconfirmed -= 1
        failure = ack.exception() if not ack.cancelled() else asyncio.CancelledError()
        self._broker_confirming = failure is None
        if failure is not None:
            self._failures.inc()
            log.warning("a ping was not delivered: %r", failure)
