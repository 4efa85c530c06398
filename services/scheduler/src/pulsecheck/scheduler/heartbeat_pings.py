"""Follows one partition of the heartbeats topic for its owner, from the checkpoint's offset.

A plain assigned consumer (no group): the partition's owner decides where to start, and the
owner's transactional checkpoint, not a committed group offset, says what was judged.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from aiokafka import ConsumerRecord, TopicPartition

from pulsecheck.shared.kafka.consumer import build_consumer
from pulsecheck.shared.kafka.security import KafkaSecurity

log = logging.getLogger(__name__)


class PingReader:
    def __init__(
        self,
        bootstrap: str,
        topic: str,
        partition: int,
        on_records: Callable[[list[ConsumerRecord[bytes, bytes]]], None],
        security: KafkaSecurity,
    ) -> None:
        self._tp = TopicPartition(topic, partition)
        self._on_records = on_records
        self._consumer = build_consumer(
            bootstrap, f"pulsecheck-scheduler-pings-p{partition}", group_id=None, security=security
        )
        self._task: asyncio.Task[None] | None = None
        self.end_at_start = 0
        self.caught_up = False

    async def start(self, from_offset: int | None) -> None:
        """Read from `from_offset` (None: the oldest ping kept), noting where the log ended."""
        await self._consumer.start()
        self._consumer.assign([self._tp])
        self.end_at_start = (await self._consumer.end_offsets([self._tp]))[self._tp]
        if from_offset is None:
            # an explicit offset: seek_to_beginning races the reset that assign() starts
            from_offset = (await self._consumer.beginning_offsets([self._tp]))[self._tp]
        self._consumer.seek(self._tp, from_offset)
        self.caught_up = await self._consumer.position(self._tp) >= self.end_at_start
        self._task = asyncio.create_task(self._follow(), name=f"pings-{self._tp.partition}")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._consumer.stop()

    async def _follow(self) -> None:
        while True:
            batch = await self._consumer.getmany(self._tp, timeout_ms=500, max_records=5_000)
            records = batch.get(self._tp, [])
            was_caught_up = self.caught_up
            self.caught_up = was_caught_up or (
                await self._consumer.position(self._tp) >= self.end_at_start
            )
            if records or self.caught_up != was_caught_up:
                self._on_records(records)
