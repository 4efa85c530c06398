"""One owned partition: fence the previous owner, resume from its checkpoint, run its clock.

Each partition has its own transactional id (`<group>-p<partition>`). Starting that producer
fences whoever held the partition before (their open transaction is aborted and any later
commit of theirs fails), so at most one clock per partition can ever commit. Each tick commits
the due CheckRequested records and the partition's checkpoint in one transaction.

When a transaction fails in a way whose outcome is unknown, the owner starts over: a new
producer (fencing its own old one), the committed checkpoint re-read, the heap re-planned from
it. So a failure costs one tick of delay, never a duplicate.

Heartbeats ride the same transactions: the partition's pings (heartbeats topic, same partition
number) are judged at the next tick, and the results, the changed heartbeat states and the
checkpoint's `pings_through` commit together, so a new owner neither re-judges a ping nor
misses or repeats a deadline. Deadlines are judged only once every ping that was on the
partition at the start has been read (a ping sitting unread must not look like silence).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from aiokafka import AIOKafkaProducer, ConsumerRecord
from aiokafka.errors import KafkaError, ProducerFenced

from pulsecheck.scheduler.check_requests import SOURCE, check_requested_for, envelope_for
from pulsecheck.scheduler.heartbeat_book import HeartbeatBook, Verdict
from pulsecheck.scheduler.heartbeat_pings import PingReader
from pulsecheck.scheduler.heartbeat_state import encode_state, read_states
from pulsecheck.scheduler.metrics import SchedulerMetrics
from pulsecheck.scheduler.progress import encode_progress, read_progress
from pulsecheck.scheduler.refusals import Outgoing, PendingRefusals
from pulsecheck.scheduler.schedule import DueCheck, PartitionSchedule
from pulsecheck.shared.events import deterministic_event_id, encode, new_envelope
from pulsecheck.shared.kafka.security import PLAINTEXT, KafkaSecurity
from pulsecheck.shared.liveness import TimerWatch

log = logging.getLogger(__name__)

Clock = Callable[[], int]
"""Wall-clock time in epoch milliseconds."""

_MAX_REQUESTS_PER_TRANSACTION = 5_000
_RETRY_DELAY_SECONDS = 1.0


@dataclass(frozen=True)
class EmissionConfig:
    bootstrap: str
    checks_topic: str
    progress_topic: str
    group_id: str
    owner: str
    tick_ms: int
    idle_checkpoint_ms: int
    # a clock silent this long while scheduling has stopped (/healthz fails)
    stall_seconds: float
    max_lateness_ms: int
    transaction_timeout_ms: int
    deadletter_topic: str
    consumer_name: str
    heartbeats_topic: str
    heartbeat_state_topic: str
    checks_completed_topic: str
    security: KafkaSecurity = PLAINTEXT


class PartitionLost(Exception):
    """Another scheduler took this partition over (our producer was fenced)."""


class PartitionOwner:
    def __init__(
        self,
        partition: int,
        schedule: PartitionSchedule,
        config: EmissionConfig,
        metrics: SchedulerMetrics,
        clock: Clock,
    ) -> None:
        self.partition = partition
        self.schedule = schedule
        self._loaded = False
        self._config = config
        self._metrics = metrics
        self._clock = clock
        self._wake = asyncio.Event()
        self._stopping = False
        self._lost = False
        self._emitted_through_ms: int | None = None
        self.refusals = PendingRefusals(config.consumer_name)
        self.heartbeats = HeartbeatBook(config.consumer_name)
        self._pings: PingReader | None = None
        self._pings_through: int | None = None
        self._task: asyncio.Task[None] | None = None
        # an idle clock still ticks every idle checkpoint; a restart after an error beats too
        self.clock_watch = TimerWatch(
            config.idle_checkpoint_ms / 1000,
            time.monotonic(),
            tolerance=max(3.0, config.stall_seconds * 1000 / config.idle_checkpoint_ms),
        )

    @property
    def scheduling(self) -> bool:
        return self.schedule.running and not self.lost and not self._stopping

    @property
    def lost(self) -> bool:
        """Fenced: another scheduler committed as this partition's owner since we started."""
        return self._lost

    def start(self) -> None:
        self._task = asyncio.create_task(self._own(), name=f"partition-{self.partition}")

    def wake(self) -> None:
        self._wake.set()

    def mark_loaded(self) -> None:
        """The table holds everything the partition had when it was assigned."""
        self._loaded = True
        self._wake.set()

    @property
    def loaded(self) -> bool:
        return self._loaded

    def now_ms(self) -> int:
        """The clock, never behind the committed checkpoint (a previous owner's clock may have
        been ahead of ours; planning before it could repeat a slot)."""
        return max(self._clock(), self._emitted_through_ms or 0)

    async def stop(self, grace_seconds: float = 5.0) -> None:
        """Finish the transaction in flight, then stop; cancel if it takes too long."""
        self._stopping = True
        self._wake.set()
        if self._task is None:
            return
        try:
            await asyncio.wait_for(asyncio.shield(self._task), grace_seconds)
        except TimeoutError:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def _own(self) -> None:
        while not self._stopping:
            self.clock_watch.beat(time.monotonic())
            producer = self._transactional_producer()
            self._pings = PingReader(
                self._config.bootstrap,
                self._config.heartbeats_topic,
                self.partition,
                self._pinged,
                self._config.security,
            )
            try:
                await producer.start()  # fences the previous holder of this transactional id
                checkpoints = await read_progress(
                    self._config.bootstrap,
                    self._config.progress_topic,
                    [self.partition],
                    self._config.security,
                )
                checkpoint = checkpoints[self.partition]
                self._emitted_through_ms = checkpoint.emitted_through_ms if checkpoint else None
                self.refusals.refused_through = checkpoint.refused_through if checkpoint else 0
                self._pings_through = checkpoint.pings_through if checkpoint else None
                self.heartbeats.restore(
                    await read_states(
                        self._config.bootstrap,
                        self._config.heartbeat_state_topic,
                        self.partition,
                        self._config.security,
                    )
                )
                await self._pings.start(self._pings_through)
                await self._wait_until_loaded()
                if self._stopping:
                    return
                self.schedule.start(self.now_ms(), self._emitted_through_ms)
                log.info(
                    "partition scheduling",
                    extra={
                        "partition": self.partition,
                        "monitors": len(self.schedule),
                        "emitted_through_ms": self._emitted_through_ms,
                        "heartbeats": len(self.heartbeats.states),
                        "pings_through": self._pings_through,
                    },
                )
                await self._tick_until_stopped(producer)
            except (PartitionLost, ProducerFenced):
                log.warning("partition taken over elsewhere", extra={"partition": self.partition})
                self._lost = True
                return
            except Exception as exc:
                # a broker error, or a tick that raised: either way the clock goes on
                self._metrics.transactions.labels("failed").inc()
                log.warning(
                    "partition restarting after an error",
                    extra={"partition": self.partition, "error": repr(exc)},
                    exc_info=not isinstance(exc, KafkaError | TimeoutError | OSError),
                )
                await asyncio.sleep(_RETRY_DELAY_SECONDS)
            finally:
                await self._pings.stop()
                await producer.stop()

    def _pinged(self, records: list[ConsumerRecord[bytes, bytes]]) -> None:
        self.heartbeats.add(records)
        self._wake.set()

    def _pings_read(self) -> bool:
        """Every ping that was on the partition when this owner started has been read."""
        return self._pings is not None and self._pings.caught_up

    async def _wait_until_loaded(self) -> None:
        while not (self._loaded and self._pings_read()) and not self._stopping:
            self._wake.clear()
            await self._wake.wait()

    async def _tick_until_stopped(self, producer: AIOKafkaProducer) -> None:
        last_tick_ms = 0
        while not self._stopping:
            self.clock_watch.beat(time.monotonic())
            now = self.now_ms()
            wake_at = self._next_wake_ms(now, last_tick_ms)
            if wake_at > now:
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), (wake_at - now) / 1000)
                continue
            last_tick_ms = now
            await self._emit_due(producer, now)

    def _next_wake_ms(self, now: int, last_tick_ms: int) -> int:
        next_due = self.schedule.next_due_ms()
        if self.heartbeats.pending:
            next_due = now
        deadline = self.heartbeats.next_deadline_ms(self.schedule.watched)
        if deadline is not None:
            next_due = deadline if next_due is None else min(next_due, deadline)
        checkpoint_due = (self._emitted_through_ms or 0) + self._config.idle_checkpoint_ms
        if self.refusals:
            checkpoint_due = now  # dead letters wait for a transaction
        wake_at = checkpoint_due if next_due is None else min(next_due, checkpoint_due)
        return max(wake_at, last_tick_ms + self._config.tick_ms)

    async def _emit_due(self, producer: AIOKafkaProducer, now: int) -> None:
        due = self.schedule.pop_due(now, _MAX_REQUESTS_PER_TRANSACTION)
        outgoing = self.refusals.outgoing(datetime.now(UTC))
        # silence is judged only with no ping left unread or unjudged after this tick
        all_read = self._pings_read() and self.heartbeats.pending <= _MAX_REQUESTS_PER_TRANSACTION
        verdict = self.heartbeats.judge(
            self.schedule.watched,
            now,
            _MAX_REQUESTS_PER_TRANSACTION,
            deadlines=all_read,
            at=datetime.now(UTC),
        )
        pings_through = verdict.pings_through or self._pings_through
        # bounded waits: a broker that stops answering turns into a restart, not a hang
        limit = self._config.transaction_timeout_ms / 1000
        await producer.begin_transaction()
        try:
            await asyncio.wait_for(
                self._send_in_transaction(producer, due, outgoing, now, pings_through), limit
            )
            await asyncio.wait_for(self._send_verdict(producer, verdict, now), limit)
        except ProducerFenced as exc:
            raise PartitionLost() from exc
        except BaseException:
            await _abort_quietly(producer)
            raise
        try:
            await asyncio.wait_for(producer.commit_transaction(), limit)
        except ProducerFenced as exc:
            raise PartitionLost() from exc
        committed_at = self._clock()
        self._emitted_through_ms = now
        self._pings_through = pings_through
        self.heartbeats.settle(verdict)
        self.refusals.sent(outgoing)
        self._metrics.dead_letters.inc(len(outgoing.letters))
        self._metrics.transactions.labels("committed").inc()
        for check in due:
            self._metrics.requests_emitted.labels(check.kind).inc()
            self._metrics.dispatch_drift.observe((committed_at - check.scheduled_for_ms) / 1000)

    async def _send_verdict(self, producer: AIOKafkaProducer, verdict: Verdict, now: int) -> None:
        if not verdict:
            return
        deliveries = []
        for key, letter in verdict.letters:
            value = letter.model_dump_json().encode()
            deliveries.append(await producer.send(self._config.deadletter_topic, value, key=key))
        for result in verdict.results:
            envelope = new_envelope(
                result,
                source=SOURCE,
                subject=result.monitor_id,
                event_id=deterministic_event_id(result.request_id),
                time=datetime.fromtimestamp(now / 1000, UTC),
            )
            deliveries.append(
                await producer.send(
                    self._config.checks_completed_topic,
                    encode(envelope),
                    key=result.monitor_id.encode(),
                )
            )
        for monitor_id, state in verdict.states.items():
            key, value = encode_state(monitor_id, state)
            topic = self._config.heartbeat_state_topic
            deliveries.append(await producer.send(topic, value, key=key, partition=self.partition))
        await asyncio.gather(*deliveries)

    async def _send_in_transaction(
        self,
        producer: AIOKafkaProducer,
        due: list[DueCheck],
        outgoing: Outgoing,
        now: int,
        pings_through: int | None,
    ) -> None:
        deliveries = []
        for key, letter in outgoing.letters:
            value = letter.model_dump_json().encode()
            topic = self._config.deadletter_topic
            deliveries.append(await producer.send(topic, value, key=key))
        for check in due:
            request = check_requested_for(check, self._config.max_lateness_ms)
            deliveries.append(
                await producer.send(
                    self._config.checks_topic,
                    encode(envelope_for(request, now)),
                    key=check.monitor.monitor_id.encode(),
                )
            )
        key, value = encode_progress(
            self.partition, now, self._config.owner, outgoing.refused_through, pings_through
        )
        deliveries.append(
            await producer.send(
                self._config.progress_topic, value, key=key, partition=self.partition
            )
        )
        await asyncio.gather(*deliveries)

    def _transactional_producer(self) -> AIOKafkaProducer:
        return AIOKafkaProducer(
            bootstrap_servers=self._config.bootstrap,
            client_id=f"{self._config.owner}-p{self.partition}",
            transactional_id=f"{self._config.group_id}-p{self.partition}",
            transaction_timeout_ms=self._config.transaction_timeout_ms,
            enable_idempotence=True,
            acks="all",
            linger_ms=0,
            max_batch_size=512 * 1024,
            **self._config.security.client_kwargs(),
        )


async def _abort_quietly(producer: AIOKafkaProducer) -> None:
    # the restart that follows fences this producer anyway; aborting early just frees readers
    try:
        await asyncio.wait_for(producer.abort_transaction(), 5)
    except (KafkaError, TimeoutError, AssertionError) as exc:
        log.warning("abort failed", extra={"error": repr(exc)})
