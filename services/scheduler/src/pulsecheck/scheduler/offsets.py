"""Stable per-monitor offsets: how monitors registered together are spread over time.

The offset depends only on the monitor id, so every replica and every restart computes the
same one, and a monitor keeps its place in the cycle for as long as it exists.
"""

from __future__ import annotations

import hashlib


def stable_offset_ms(monitor_id: str, span_ms: int) -> int:
    """A stable offset in [0, span_ms) derived from the monitor id (0 when the span is empty)."""
    if span_ms <= 0:
        return 0
    digest = hashlib.blake2b(monitor_id.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") % span_ms
