"""`ConsumerWatch` judged on a fake consumer and a fake broker answer: no Kafka needed."""

from __future__ import annotations

from typing import Any

from aiokafka import TopicPartition
from aiokafka.errors import KafkaConnectionError

from pulsecheck.shared.kafka.cluster import ClusterView
from pulsecheck.shared.kafka.consumer import PartitionListener
from pulsecheck.shared.kafka.watch import ConsumerWatch

TOPIC = "checks"
P0 = TopicPartition(TOPIC, 0)


class FakeConsumer:
    def __init__(self) -> None:
        self.positions: dict[TopicPartition, int] = {}
        self.ends: dict[TopicPartition, int] = {}
        self.broker_down = False

    def assignment(self) -> set[TopicPartition]:
        return set(self.positions)

    async def end_offsets(self, partitions: list[TopicPartition]) -> dict[TopicPartition, int]:
        if self.broker_down:
            raise KafkaConnectionError("down")
        return {tp: self.ends[tp] for tp in partitions}

    async def position(self, tp: TopicPartition) -> int:
        return self.positions[tp]


class Watch(ConsumerWatch):
    answer: ClusterView | Exception = ClusterView({TOPIC: 1}, {"group": 1})

    async def view(self) -> ClusterView:
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


def watch_of(consumer: Any, listener: PartitionListener) -> Watch:
    return Watch("127.0.0.1:1", consumer, listener, (TOPIC,), "group", 60.0, started_at=0.0)


async def holding(listener: PartitionListener, *partitions: TopicPartition) -> None:
    await listener.on_partitions_assigned(set(partitions))


async def test_a_partition_with_lag_that_does_not_move_makes_liveness_fail() -> None:
    consumer, listener = FakeConsumer(), PartitionListener()
    await holding(listener, P0)
    consumer.positions[P0], consumer.ends[P0] = 10, 50
    watch = watch_of(consumer, listener)
    assert await watch.stuck(now=0) == {}
    assert await watch.stuck(now=59) == {}
    assert await watch.stuck(now=60) == {"stuck_partitions": ["checks-0"]}
    consumer.positions[P0] = 11
    assert await watch.stuck(now=61) == {}


async def test_without_end_offsets_the_stall_clock_starts_again() -> None:
    consumer, listener = FakeConsumer(), PartitionListener()
    await holding(listener, P0)
    consumer.positions[P0], consumer.ends[P0] = 10, 50
    watch = watch_of(consumer, listener)
    await watch.stuck(now=0)
    consumer.broker_down = True
    watch.answer = KafkaConnectionError("down")
    # an outage is not a stall: restarting the process would not bring the broker back
    assert await watch.stuck(now=100) == {}
    consumer.broker_down = False
    watch.answer = ClusterView({TOPIC: 1}, {"group": 1})
    assert await watch.stuck(now=101) == {}
    assert await watch.stuck(now=161) == {"stuck_partitions": ["checks-0"]}


async def test_holding_nothing_for_the_stall_time_while_alone_is_stuck() -> None:
    watch = watch_of(FakeConsumer(), PartitionListener())
    assert await watch.stuck(now=60) == {}
    assert await watch.stuck(now=61) == {"no_partitions_for_seconds": 61}


async def test_holding_nothing_beside_more_members_than_partitions_is_fine() -> None:
    watch = watch_of(FakeConsumer(), PartitionListener())
    watch.answer = ClusterView({TOPIC: 1}, {"group": 2})
    assert await watch.stuck(now=1_000) == {}
    assert await watch.unready() == {}


async def test_readiness_needs_a_broker_answer_and_the_members_share() -> None:
    listener = PartitionListener()
    watch = watch_of(FakeConsumer(), listener)
    assert await watch.unready() == {"partitions": "holds none of checks"}
    await holding(listener, P0)
    assert await watch.unready() == {}
    watch.answer = KafkaConnectionError("Unable to bootstrap")
    assert (await watch.unready())["kafka"].startswith("unreachable: KafkaConnectionError")


async def test_a_topic_the_broker_refuses_makes_it_unready_whatever_it_holds() -> None:
    listener = PartitionListener()
    watch = watch_of(FakeConsumer(), listener)
    await holding(listener, P0)
    refused = {"checks.dead": "TopicAuthorizationFailedError"}
    watch.answer = ClusterView({TOPIC: 1}, {"group": 1}, refused)
    assert await watch.unready() == {"topics": "checks.dead: TopicAuthorizationFailedError"}
