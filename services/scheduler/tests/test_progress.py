from __future__ import annotations

import pytest

from pulsecheck.scheduler.progress import decode_progress, encode_progress


def test_checkpoint_round_trip() -> None:
    key, value = encode_progress(7, 1_750_000_000_123, "scheduler-a")
    assert key == b"7"
    assert decode_progress(value) == 1_750_000_000_123


@pytest.mark.parametrize("value", [None, b"", b"{}", b"not json", b'{"emitted_through_ms": "x"}'])
def test_unreadable_checkpoint_is_none(value: bytes | None) -> None:
    assert decode_progress(value) is None
