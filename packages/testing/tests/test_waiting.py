"""The one polling helper: returns the first truthy answer, reports why it gave up."""

from __future__ import annotations

import itertools

import pytest

from pulsecheck.testing.waiting import wait_for, wait_until


async def test_wait_until_returns_the_first_truthy_answer_of_a_plain_probe() -> None:
    answers = iter([None, 0, [], "ready"])
    assert await wait_until(lambda: next(answers), within=5) == "ready"


async def test_wait_until_awaits_an_async_probe() -> None:
    counter = itertools.count()

    async def probe() -> int | None:
        value = next(counter)
        return value if value >= 3 else None

    assert await wait_until(probe, within=5) == 3


async def test_wait_until_gives_up_with_the_probes_last_reason() -> None:
    def probe() -> bool:
        raise AssertionError("two of three regions")

    with pytest.raises(AssertionError, match="waiting for quorum: two of three regions"):
        await wait_until(probe, within=0.1, what="quorum")


def test_wait_for_gives_up_with_the_last_value() -> None:
    with pytest.raises(
        AssertionError, match=r"timed out after 0.1 s waiting for rows: last value \[\]"
    ):
        wait_for(lambda: [], within=0.1, what="rows", interval=0.01)


def test_wait_for_lets_other_errors_through() -> None:
    def probe() -> bool:
        raise RuntimeError("the process exited")

    with pytest.raises(RuntimeError, match="exited"):
        wait_for(probe, within=5, what="health")
