"""Bounded polling on observable results: tests never sleep a fixed time, nor wait forever.

A probe answers a value when the wait is over (the first truthy one is returned) or a falsy one
for "not yet"; it may also raise AssertionError to say "not yet, because…", and the last reason
is reported when the deadline passes.
"""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar, cast, overload

T = TypeVar("T")


class _Patience:
    """The deadline of one wait and the last reason it is not over."""

    def __init__(self, within: float, what: str) -> None:
        self.within = within
        self.what = what
        self.deadline = time.monotonic() + within
        self.reason = "no answer yet"

    def not_yet(self, answer: object) -> None:
        self.reason = f"last value {answer!r}"

    def refused(self, error: AssertionError) -> None:
        self.reason = str(error) or type(error).__name__

    def give_up_when_late(self) -> None:
        if time.monotonic() > self.deadline:
            raise AssertionError(
                f"timed out after {self.within:g} s waiting for {self.what}: {self.reason}"
            )


@overload
async def wait_until(
    probe: Callable[[], Awaitable[T | None]],
    *,
    within: float = ...,
    what: str = ...,
    interval: float = ...,
) -> T: ...


@overload
async def wait_until(
    probe: Callable[[], T | None],
    *,
    within: float = ...,
    what: str = ...,
    interval: float = ...,
) -> T: ...


async def wait_until(
    probe: Callable[[], T | None] | Callable[[], Awaitable[T | None]],
    *,
    within: float = 30.0,
    what: str = "condition",
    interval: float = 0.05,
) -> T:
    """The first truthy answer of `probe` (plain or async) within `within` seconds, else
    AssertionError."""
    patience = _Patience(within, what)
    while True:
        try:
            answer = probe()
            if inspect.isawaitable(answer):
                answer = await answer
            if answer:
                return cast(T, answer)
            patience.not_yet(answer)
        except AssertionError as error:
            patience.refused(error)
        patience.give_up_when_late()
        await asyncio.sleep(interval)


def wait_for(
    probe: Callable[[], T | None], *, within: float, what: str, interval: float = 0.25
) -> T:
    """`wait_until` for code without an event loop (e2e, which polls a running system's HTTP
    APIs, hence the longer default interval)."""
    patience = _Patience(within, what)
    while True:
        try:
            answer = probe()
            if answer:
                return answer
            patience.not_yet(answer)
        except AssertionError as error:
            patience.refused(error)
        patience.give_up_when_late()
        time.sleep(interval)
