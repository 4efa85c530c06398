"""Every monitor's rules and every channel, read by each notifier process straight from the
compacted `monitors` and `channels` topics (all partitions, no consumer group).

Why not Faust tables: a result must never be judged, nor a notice fanned out, before the
configuration published ahead of it has been read, or an alert is lost (no channel known yet)
or judged by the wrong rules. The reader knows how far it has read; `covering(timestamp)` waits
until every configuration record produced before `timestamp` has been applied.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition

from pulsecheck.channels.sealed import open_channel
from pulsecheck.notifier.rules import MonitorRules
from pulsecheck.shared.events import (
    ChannelConfigured,
    ChannelRemoved,
    DecodeError,
    MonitorRegistered,
    MonitorRemoved,
    MonitorUpdated,
    decode,
)
from pulsecheck.shared.events.registry import CHANNELS_EVENTS, MONITORS_EVENTS
from pulsecheck.shared.kafka.consumer import build_consumer
from pulsecheck.shared.kafka.security import PLAINTEXT, KafkaSecurity
from pulsecheck.shared.sealing import Opener, SealingError

log = logging.getLogger("pulsecheck.notifier")


@dataclass
class ConfigurationView:
    """The latest rules per monitor id and channel per channel id (pure: records in, state).

    Channels are held opened: the notifier is the one service with the channel keys, and the
    recipient digest, the registry's re-check and the webhook's signature need the clear values.
    """

    monitors_topic: str
    channels_topic: str
    # the channel keys' private halves; empty opens only records from before sealing
    opener: Opener = field(default_factory=lambda: Opener({}))
    # the scheduler raises shorter intervals to this; a region's freshness follows the real one
    min_interval_seconds: int = 1
    rules: dict[str, MonitorRules] = field(default_factory=dict)
    channels: dict[str, ChannelConfigured] = field(default_factory=dict)
    # monitors removed (or tombstoned): a late result of theirs is dropped, never judged
    removed: set[str] = field(default_factory=set)

    def apply(self, topic: str, key: bytes | None, value: bytes | None) -> None:
        table: dict[str, MonitorRules] | dict[str, ChannelConfigured]
        on_monitors = topic == self.monitors_topic
        table = self.rules if on_monitors else self.channels
        if value is None:
            # a compaction tombstone removes whatever the key named (any bytes: a key that is
            # not UTF-8 names nothing we hold, and must not crash the reader)
            if key is not None:
                name = key.decode("utf-8", "replace")
                table.pop(name, None)
                if on_monitors:
                    self.removed.add(name)
            return
        envelope = decode(value, MONITORS_EVENTS if on_monitors else CHANNELS_EVENTS)
        if isinstance(envelope, DecodeError):
            return  # the configuration agents dead-letter it; here it is simply not configuration
        payload = envelope.data
        if isinstance(payload, MonitorRegistered | MonitorUpdated):
            self.rules[payload.monitor_id] = MonitorRules.from_spec(
                payload, self.min_interval_seconds
            )
            # an id registered again (a replay of its history) is live once more
            self.removed.discard(payload.monitor_id)
        elif isinstance(payload, MonitorRemoved):
            self.rules.pop(payload.monitor_id, None)
            self.removed.add(payload.monitor_id)
        elif isinstance(payload, ChannelConfigured):
            self._apply_channel(payload)
        elif isinstance(payload, ChannelRemoved):
            self.channels.pop(payload.channel_id, None)

    def _apply_channel(self, channel: ChannelConfigured) -> None:
        try:
            self.channels[channel.channel_id] = open_channel(channel, self.opener)
        except SealingError as exc:
            # a newer record we cannot open replaces the older one: never send with stale secrets
            self.channels.pop(channel.channel_id, None)
            log.warning(
                "channel skipped: its sealed fields do not open",
                extra={"channel_id": channel.channel_id, "reason": str(exc)},
            )


# builds an unstarted consumer subscribed to the given topics
ConsumerFactory = Callable[[tuple[str, ...]], AIOKafkaConsumer]


def configuration_consumer(
    bootstrap: str, client_id: str, security: KafkaSecurity = PLAINTEXT
) -> ConsumerFactory:
    def build(topics: tuple[str, ...]) -> AIOKafkaConsumer:
        # no group: every process is assigned every partition, and reads it from the start
        return build_consumer(bootstrap, client_id, group_id=None, topics=topics, security=security)

    return build


@dataclass
class ConfigurationReader:
    """Keeps a `ConfigurationView` up to date and says how far it has read."""

    view: ConfigurationView
    consumer_factory: ConsumerFactory
    # how long `covering` waits for a lagging reader before deciding with what it has
    patience_seconds: float = 10.0
    _consumer: AIOKafkaConsumer | None = None
    _offsets: AIOKafkaConsumer | None = None
    # wall-clock time such that every record produced before it has been applied
    _covered_until: float = 0.0
    _progress: asyncio.Condition = field(default_factory=asyncio.Condition)
    _refreshing: asyncio.Task[None] | None = None
    # fetches made so far: a waiter compares it with what it saw, so no wake-up is lost
    _fetches: int = 0

    async def run(self) -> None:
        """Reads both topics from the beginning, then follows them until cancelled."""
        consumer = self.consumer_factory(self._topics)
        # a consumer of its own answers "where do the topics end" at once; the reading one
        # would queue the question behind its long-polling fetch
        offsets = self._offsets = self.consumer_factory(())
        await consumer.start()
        await offsets.start()
        self._consumer = consumer
        try:
            while True:
                batch = await consumer.getmany(timeout_ms=500, max_records=5000)
                for records in batch.values():
                    for record in records:
                        self._apply(record)
                async with self._progress:
                    self._fetches += 1
                    self._progress.notify_all()
        finally:
            self._consumer = None
            await consumer.stop()
            await offsets.stop()

    def _apply(self, record: ConsumerRecord[bytes, bytes]) -> None:
        try:
            self.view.apply(record.topic, record.key, record.value)
        except Exception:
            # the configuration agents dead-letter it; this reader must keep reading the rest
            log.exception(
                "configuration record not applied",
                extra={"topic": record.topic, "offset": record.offset},
            )

    @property
    def _topics(self) -> tuple[str, ...]:
        return (self.view.monitors_topic, self.view.channels_topic)

    @property
    def covered_until(self) -> float:
        return self._covered_until

    async def covering(self, timestamp: float) -> bool:
        """Waits until every configuration record produced before `timestamp` (epoch seconds)
        is applied; False when that took longer than the patience allows."""
        if timestamp <= self._covered_until:
            return True
        if self._refreshing is None or self._refreshing.done():
            self._refreshing = asyncio.create_task(self._catch_up())
        try:
            await asyncio.wait_for(asyncio.shield(self._refreshing), self.patience_seconds)
        except TimeoutError:
            log.warning("configuration reader lags; deciding with what it has read")
            return False
        return timestamp <= self._covered_until

    async def _catch_up(self) -> None:
        # taken before asking the broker: every record produced before now is below the ends
        asked_at = time.time()
        partitions = await self._assigned()
        consumer, offsets = self._consumer, self._offsets
        assert consumer is not None and offsets is not None
        ends = await offsets.end_offsets(partitions)
        for tp, end in ends.items():
            # the position, not the last record: it also steps over transaction markers
            while True:
                seen = self._fetches
                if await consumer.position(tp) >= end:
                    break
                await self._fetch_after(seen)
        self._covered_until = max(self._covered_until, asked_at)

    async def _assigned(self) -> list[TopicPartition]:
        """Every partition of both topics, once the consumer has learnt them."""
        while True:
            seen = self._fetches
            consumer = self._consumer
            if consumer is not None:
                assigned = sorted(consumer.assignment())
                if {tp.topic for tp in assigned} == set(self._topics):
                    return assigned
            await self._fetch_after(seen)

    async def _fetch_after(self, seen: int) -> None:
        """Returns once a fetch later than the `seen`-th has been applied."""
        async with self._progress:
            await self._progress.wait_for(lambda: self._fetches > seen)
