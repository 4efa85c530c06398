"""Bounded polling on observable results: the e2e tests never sleep a fixed time."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

POLL_SECONDS = 0.25


def wait_for(probe: Callable[[], T | None], *, within: float, what: str) -> T:
    """The first truthy value `probe` returns within `within` seconds, else AssertionError.

    A probe may raise AssertionError to say "not yet, because…"; the last reason is reported.
    """
    deadline = time.monotonic() + within
    reason = "no answer yet"
    while True:
        try:
            value = probe()
            if value:
                return value
            reason = f"last value {value!r}"
        except AssertionError as exc:
            reason = str(exc) or type(exc).__name__
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {within:.0f} s waiting for {what}: {reason}")
        time.sleep(POLL_SECONDS)
