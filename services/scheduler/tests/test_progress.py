from __future__ import annotations

import pytest

from pulsecheck.scheduler.progress import Checkpoint, decode_progress, encode_progress


def test_checkpoint_round_trip() -> None:
    key, value = encode_progress(7, 1_750_000_000_123, "scheduler-a", 42)
    assert key == b"7"
    assert decode_progress(value) == Checkpoint(1_750_000_000_123, 42)


def test_a_checkpoint_from_before_dead_letters_were_recorded_refused_nothing() -> None:
    assert decode_progress(b'{"emitted_through_ms": 5}') == Checkpoint(5, 0)


@pytest.mark.parametrize(
    "value", [None, b"", b"{}", b"[]", b"not json", b'{"emitted_through_ms": "x"}']
)
def test_unreadable_checkpoint_is_none(value: bytes | None) -> None:
    assert decode_progress(value) is None
