"""The consume → check → publish loop: bounded in flight, commits only what was published."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.errors import KafkaError

from pulsecheck.checks import ProbeContext, run_check
from pulsecheck.prober.admission import skip_reason, skipped_event, target_host
from pulsecheck.prober.fair_share import FairShare
from pulsecheck.prober.metrics import ProberMetrics
from pulsecheck.prober.offsets import OffsetTracker
from pulsecheck.shared.events import (
    CheckCompleted,
    CheckRequested,
    CheckSkipped,
    Envelope,
    deterministic_event_id,
    new_envelope,
)
from pulsecheck.shared.events.registry import CHECKS_REQUESTED_EVENTS
from pulsecheck.shared.kafka.consumer import PartitionListener
from pulsecheck.shared.kafka.deadletter import decode_or_dead_letter, send_dead_letter
from pulsecheck.shared.kafka.producer import EventProducer
from pulsecheck.shared.topics import Topics

log = logging.getLogger(__name__)

COMMIT_INTERVAL_SECONDS = 1.0


def assigned_here(request: CheckRequested, region: str) -> bool:
    """A monitor that names no regions is checked from every region."""
    return not request.regions or region in request.regions


def result_event_id(event_type: str, request_id: str, region: str) -> str:
    """Deterministic, and distinct per event type: a request skipped before a kill -9 and
    completed after it yields two events, never one id for both."""
    return deterministic_event_id(event_type, request_id, region)


class ProberWorker:
    def __init__(
        self,
        consumer: AIOKafkaConsumer,
        producer: EventProducer,
        ctx: ProbeContext,
        topics: Topics,
        concurrency: int,
        metrics: ProberMetrics,
        consumer_name: str,
        fair_share: FairShare | None = None,
    ) -> None:
        self._consumer = consumer
        self._producer = producer
        self._ctx = ctx
        self._topics = topics
        self._slots = asyncio.Semaphore(concurrency)
        self._concurrency = concurrency
        # None: every account may use every slot (a single-tenant deployment)
        self._fair = fair_share or FairShare(concurrency, concurrency)
        self._metrics = metrics
        self._name = consumer_name
        self._tasks: set[asyncio.Task[None]] = set()
        metrics.in_flight.set_function(lambda: len(self._tasks))
        self._failure: BaseException | None = None
        self.offsets: OffsetTracker[TopicPartition] = OffsetTracker()
        self.running = False
        self.listener = PartitionListener(on_revoked=self._release)

    def subscribe(self) -> None:
        self._consumer.subscribe([self._topics.checks_requested], listener=self.listener)

    async def _release(self, revoked: set[TopicPartition]) -> None:
        await self.commit()
        self.offsets.forget(list(revoked))

    async def run(self, stop: asyncio.Event, drain_seconds: float) -> None:
        """Consume until `stop` is set, then let checks in flight finish and commit."""
        self.running = True
        loop = asyncio.get_running_loop()
        last_commit = loop.time()
        try:
            while not stop.is_set() and self._failure is None:
                # backpressure: no fetch at all while every slot is busy
                await self._slots.acquire()
                self._slots.release()
                batch = await self._consumer.getmany(
                    timeout_ms=200, max_records=max(1, self._free_slots())
                )
                for partition, records in batch.items():
                    for record in records:
                        await self._slots.acquire()
                        self._start(partition, record)
                if loop.time() - last_commit >= COMMIT_INTERVAL_SECONDS:
                    await self.commit()
                    last_commit = loop.time()
        finally:
            self.running = False
            await self._drain(drain_seconds)
            await self.commit()
        if self._failure is not None:
            raise self._failure

    def _free_slots(self) -> int:
        return self._concurrency - len(self._tasks)

    def _start(self, partition: TopicPartition, record: Any) -> None:
        self.offsets.started(partition, record.offset)
        task = asyncio.create_task(self._handle(partition, record))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _handle(self, partition: TopicPartition, record: Any) -> None:
        try:
            await self._process(record)
        except Exception as exc:
            # the result could not be made durable: stop without committing this offset
            log.exception("publishing failed; stopping", extra={"offset": record.offset})
            self._failure = exc
            return
        finally:
            self._slots.release()
        self.offsets.finished(partition, record.offset)

    async def _process(self, record: Any) -> None:
        raw = self._producer.raw
        envelope = await decode_or_dead_letter(
            raw,
            self._topics.deadletter,
            record,
            self._name,
            CHECKS_REQUESTED_EVENTS,
            CheckRequested,
        )
        if envelope is None or not isinstance(request := envelope.data, CheckRequested):
            self._metrics.dead_letters.inc()
            return
        if not assigned_here(request, self._ctx.region):
            # another region's check: not ours to run, nor to report as skipped
            return
        try:
            outcome = await self._outcome(request)
        except Exception as exc:
            # a request no check can run must not stop the prober for every other monitor
            log.exception("check failed unexpectedly", extra={"offset": record.offset})
            self._metrics.dead_letters.inc()
            await send_dead_letter(
                raw, self._topics.deadletter, record, self._name, "unprocessable", repr(exc)
            )
            return
        await self._producer.publish(self._topics.checks_completed, outcome)

    async def _outcome(self, request: CheckRequested) -> Envelope:
        now = self._ctx.clock()
        reason = skip_reason(request, now)
        if reason is None:
            within = (request.deadline - now).total_seconds()
            host = target_host(request.target)
            reason = await self._fair.enter(request.account_id, host, within)
            if reason is None:
                try:
                    return await self._checked(request)
                finally:
                    self._fair.leave(request.account_id, host)
        self._metrics.skipped.inc()
        region = self._ctx.region
        now = self._ctx.clock()
        return new_envelope(
            skipped_event(request, region, now, reason),
            source=f"pulsecheck/prober/{region}",
            subject=request.monitor_id,
            event_id=result_event_id(CheckSkipped.EVENT_TYPE, request.request_id, region),
            time=now,
        )

    async def _checked(self, request: CheckRequested) -> Envelope:
        region = self._ctx.region
        completed = await run_check(request, self._ctx)
        error = completed.error.kind.value if completed.error is not None else None
        elapsed = (completed.finished_at - completed.started_at).total_seconds()
        self._metrics.checked(request.kind, completed.outcome, error, elapsed)
        return new_envelope(
            completed,
            source=f"pulsecheck/prober/{region}",
            subject=request.monitor_id,
            event_id=result_event_id(CheckCompleted.EVENT_TYPE, request.request_id, region),
            time=completed.finished_at,
        )

    async def commit(self) -> None:
        pending = self.offsets.to_commit()
        if not pending:
            return
        try:
            await self._consumer.commit(pending)
        except KafkaError as exc:
            # e.g. a rebalance in progress: the next commit carries the same offsets
            log.warning("commit failed; will retry", extra={"error": repr(exc)})
            return
        self.offsets.committed(pending)

    async def _drain(self, drain_seconds: float) -> None:
        if not self._tasks:
            return
        _finished, still_running = await asyncio.wait(set(self._tasks), timeout=drain_seconds)
        for task in still_running:
            task.cancel()
        if still_running:
            log.warning("stopped with checks in flight", extra={"abandoned": len(still_running)})
            await asyncio.wait(still_running, timeout=5)
