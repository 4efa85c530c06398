"""Records land where the Java client and aiokafka's default partitioner put them."""

from __future__ import annotations

from aiokafka.partitioner import DefaultPartitioner
from hypothesis import example, given, settings
from hypothesis import strategies as st

from pulsecheck.shared.kafka.producer import partition_for


# no deadline: a loaded shared box must not turn a slow example into a failure
@settings(deadline=None)
@given(st.binary(max_size=64), st.integers(1, 64))
@example(b"monitor-00001", 12)
@example(b"3f2b6c1e-8a4d-4f7e-9b1a-2c5d6e7f8a9b", 12)
def test_a_key_lands_on_the_default_partitioners_partition(key: bytes, partitions: int) -> None:
    every = list(range(partitions))
    expected = DefaultPartitioner()(key, every, every)
    assert partition_for(key, every, every) == expected
    assert partition_for(key, every, every) == expected  # and again, from the cache


def test_a_record_without_a_key_goes_to_an_available_partition() -> None:
    assert partition_for(None, [0, 1, 2], [2]) == 2
