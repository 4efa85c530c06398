"""Cursors are opaque, round-trip exactly, and refuse anything the API did not issue."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pulsecheck.read_model.pagination import (
    CursorPosition,
    InvalidCursor,
    decode_cursor,
    encode_cursor,
)


def test_a_cursor_round_trips() -> None:
    position = CursorPosition(datetime(2025, 3, 1, 12, 30, 0, 123456, tzinfo=UTC), "42")
    token = encode_cursor(position)
    assert "42" not in token
    assert decode_cursor(token) == position


@pytest.mark.parametrize(
    "token",
    ["", "!!!", "bm90IGpzb24", "WzFd", "WyIyMDI1LTAxLTAxVDAwOjAwOjAwIiwiMSJd", "x" * 600],
)
def test_foreign_cursors_are_refused(token: str) -> None:
    with pytest.raises(InvalidCursor):
        decode_cursor(token)
