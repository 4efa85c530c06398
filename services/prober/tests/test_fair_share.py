"""Each account's share of the prober's slots: the pure rule, then the waiting room."""

from __future__ import annotations

import asyncio

import pytest

from pulsecheck.prober.admission import target_host
from pulsecheck.prober.fair_share import FairShare, Turn, share_of, turn_for


@pytest.mark.parametrize(
    ("concurrency", "share", "cap"), [(1000, 0.25, 250), (8, 0.25, 2), (3, 0.1, 1), (10, 1.0, 10)]
)
def test_an_account_gets_its_share_and_never_less_than_one_slot(
    concurrency: int, share: float, cap: int
) -> None:
    assert share_of(concurrency, share) == cap


@pytest.mark.parametrize(
    ("name", "running", "waiting", "host_running", "turn"),
    [
        ("under both caps", 1, 0, 3, Turn.RUN),
        ("account at its cap waits", 2, 0, 0, Turn.WAIT),
        ("host at its cap waits", 0, 0, 4, Turn.WAIT),
        ("waiting room of the account full", 2, 2, 0, Turn.SKIP),
        ("host full and waiting room full", 0, 2, 4, Turn.SKIP),
    ],
)
def test_turns(name: str, running: int, waiting: int, host_running: int, turn: Turn) -> None:
    assert turn_for(running, waiting, host_running, account_cap=2, host_cap=4) is turn, name


@pytest.mark.parametrize(
    ("target", "host"),
    [
        ("https://Example.COM./path", "example.com"),
        ("http://[::1]:8080/", "::1"),
        ("tcp://db.example:5432", "db.example"),
        ("db.example:5432", "db.example"),
        ("smtp://mail.example", "mail.example"),
    ],
)
def test_the_host_share_is_keyed_by_host_name(target: str, host: str) -> None:
    assert target_host(target) == host


async def test_a_waiting_request_runs_when_a_slot_frees_and_a_late_one_is_skipped() -> None:
    fair = FairShare(account_cap=1, host_cap=10)
    assert await fair.enter("a", "h", within=5) is None
    refused = await fair.enter("a", "h", within=0.05)
    assert refused is not None and "deadline" in refused
    assert await fair.enter("b", "h", within=0) is None  # another account is not held back
    fair.leave("b", "h")

    waiting = asyncio.create_task(fair.enter("a", "h", within=5))
    await asyncio.sleep(0)
    assert not waiting.done()
    fair.leave("a", "h")
    assert await asyncio.wait_for(waiting, timeout=5) is None
    fair.leave("a", "h")
    assert await fair.enter("a", "h", within=0) is None  # every slot was given back


async def test_an_account_past_its_waiting_room_is_skipped_at_once() -> None:
    fair = FairShare(account_cap=1, host_cap=10)
    assert await fair.enter("a", "h", within=5) is None
    first_waiter = asyncio.create_task(fair.enter("a", "h", within=5))
    await asyncio.sleep(0)
    refused = await fair.enter("a", "h", within=5)
    assert refused is not None and "over its share" in refused
    fair.leave("a", "h")
    assert await first_waiter is None


async def test_a_host_at_its_cap_holds_back_every_account() -> None:
    fair = FairShare(account_cap=5, host_cap=1)
    assert await fair.enter("a", "h", within=5) is None
    waiting = asyncio.create_task(fair.enter("b", "h", within=5))
    assert await fair.enter("b", "other", within=0) is None  # another host is not held back
    await asyncio.sleep(0)
    assert not waiting.done()
    fair.leave("a", "h")
    assert await waiting is None
