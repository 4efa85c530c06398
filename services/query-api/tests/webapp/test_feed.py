"""The change feed: the projector's NOTIFY reaches the listening process, per account, and a
subscriber too slow to drain its queue is dropped instead of buffered for."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest

from pulsecheck.read_model.change_notices import Change, parse_change
from pulsecheck.webapp.live.feed import ChangeFeed

Fixture = Any


@pytest.fixture
async def feed(query_database_url: str) -> AsyncIterator[ChangeFeed]:
    running = ChangeFeed(query_database_url)
    task = asyncio.create_task(running.run())
    await asyncio.wait_for(running.listening.wait(), 30)
    yield running
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


@pytest.mark.postgres
@pytest.mark.kafka
async def test_a_projected_result_is_announced_to_its_account_only(
    feed: ChangeFeed,
    alice: Fixture,
    bob: Fixture,
    producer: Fixture,
    topics: Fixture,
    event_factory: Fixture,
    running_projector: None,
) -> None:
    site, account = str(uuid.uuid4()), str(alice.account_id)
    with feed.subscribe(alice.account_id) as alices, feed.subscribe(bob.account_id) as bobs:
        checked = event_factory.uptime(site, account, 0)
        await producer.publish(topics.checks_completed, checked, site)
        change = await asyncio.wait_for(alices.queue.get(), 30)
        assert change == Change(alice.account_id, uuid.UUID(site))
        assert bobs.queue.empty()


def test_a_slow_subscriber_is_dropped_and_told_so() -> None:
    feed = ChangeFeed("postgresql://unused", queue_size=2)
    account = uuid.uuid4()
    with feed.subscribe(account) as slow, feed.subscribe(account) as fast:
        for _ in range(3):
            feed.deliver(Change(account, uuid.uuid4()))
            assert fast.queue.get_nowait() is not None
        assert feed.dropped == 1
        assert slow.queue.qsize() == 1 and slow.queue.get_nowait() is None  # the stream ends
        feed.deliver(Change(account, uuid.uuid4()))
        assert slow.queue.empty() and fast.queue.qsize() == 1


def test_payloads_of_other_writers_are_ignored() -> None:
    change = Change(uuid.uuid4(), uuid.uuid4())
    assert parse_change(change.payload) == change
    assert parse_change("hello") is None and parse_change("a:b") is None
