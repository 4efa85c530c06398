"""The one rebalance listener: what it counts as held, and when the owner hears of it."""

from __future__ import annotations

from aiokafka import TopicPartition

from pulsecheck.shared.kafka.consumer import PartitionListener, build_consumer

A0, A1, B0 = TopicPartition("a", 0), TopicPartition("a", 1), TopicPartition("b", 0)


async def test_a_partition_is_held_once_the_owner_has_restored_it() -> None:
    seen: list[tuple[str, set[TopicPartition], int]] = []
    listener: PartitionListener

    async def assigned(partitions: set[TopicPartition]) -> None:
        seen.append(("assigned", partitions, len(listener.held)))

    async def revoked(partitions: set[TopicPartition]) -> None:
        seen.append(("revoked", partitions, len(listener.held)))

    listener = PartitionListener(on_assigned=assigned, on_revoked=revoked)
    await listener.on_partitions_assigned([A0, A1, B0])
    assert listener.held == {A0, A1, B0}
    assert (listener.held_of("a"), listener.held_of("b")) == (2, 1)
    await listener.on_partitions_revoked([A1, B0])
    assert listener.held == {A0}
    # held counts after the owner's assigned hook and before its revoked hook
    assert seen == [("assigned", {A0, A1, B0}, 0), ("revoked", {A1, B0}, 1)]


async def test_every_consumer_reads_only_committed_records_and_commits_by_hand() -> None:
    consumer = build_consumer("127.0.0.1:1", "test", group_id="g", session_timeout_ms=6_000)
    assert consumer._isolation_level == "read_committed"
    assert consumer._enable_auto_commit is False
    assert consumer._group_id == "g"
    await consumer.stop()
