"""The one way PulseCheck builds a Kafka consumer, and the one rebalance listener.

Every consumer commits by hand (or never), starts from the earliest offset when it has no
committed one (a new internal partition must not skip what was written before it was read),
and reads only committed transactions: the scheduler emits in transactions, and a reader that
saw an aborted request would act on it.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable

from aiokafka import AIOKafkaConsumer, ConsumerRebalanceListener, TopicPartition

from pulsecheck.shared.kafka.security import PLAINTEXT, KafkaSecurity

log = logging.getLogger(__name__)

SESSION_TIMEOUT_MS = 10_000
# a moved partition leader or a new partition is found within this, not the 5-minute default
METADATA_MAX_AGE_MS = 10_000
MAX_PARTITION_FETCH_BYTES = 1024 * 1024

PartitionsHook = Callable[[set[TopicPartition]], Awaitable[None]]


def build_consumer(
    bootstrap: str,
    client_id: str,
    *,
    group_id: str | None,
    topics: Iterable[str] = (),
    session_timeout_ms: int = SESSION_TIMEOUT_MS,
    max_partition_fetch_bytes: int = MAX_PARTITION_FETCH_BYTES,
    security: KafkaSecurity = PLAINTEXT,
) -> AIOKafkaConsumer:
    """An unstarted consumer; `topics` subscribes a group-less one to every partition."""
    return AIOKafkaConsumer(
        *topics,
        bootstrap_servers=bootstrap,
        client_id=client_id,
        group_id=group_id,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        isolation_level="read_committed",
        session_timeout_ms=session_timeout_ms,
        heartbeat_interval_ms=max(100, session_timeout_ms // 5),
        max_partition_fetch_bytes=max_partition_fetch_bytes,
        metadata_max_age_ms=METADATA_MAX_AGE_MS,
        **security.client_kwargs(),
    )


class PartitionListener(ConsumerRebalanceListener):  # type: ignore[misc]
    """Records which partitions this member holds, and tells the owner of each change.

    A partition counts as held once the owner's `on_assigned` hook has returned (its state is
    restored), and stops counting before `on_revoked` runs (it is being handed over).
    """

    def __init__(
        self,
        on_assigned: PartitionsHook | None = None,
        on_revoked: PartitionsHook | None = None,
    ) -> None:
        self._on_assigned = on_assigned
        self._on_revoked = on_revoked
        self.held: frozenset[TopicPartition] = frozenset()
        self.rebalances = 0

    async def on_partitions_revoked(self, revoked: Iterable[TopicPartition]) -> None:
        partitions = set(revoked)
        self.held = self.held - partitions
        if self._on_revoked is not None:
            await self._on_revoked(partitions)

    async def on_partitions_assigned(self, assigned: Iterable[TopicPartition]) -> None:
        partitions = set(assigned)
        self.rebalances += 1
        if self._on_assigned is not None:
            await self._on_assigned(partitions)
        self.held = self.held | partitions
        names = sorted(f"{tp.topic}-{tp.partition}" for tp in partitions)
        log.info("partitions assigned", extra={"partitions": names})

    def held_of(self, topic: str) -> int:
        return sum(1 for tp in self.held if tp.topic == topic)
