"""The process's one listening connection, fanned out to subscribers per account.

Each subscriber (an open SSE stream) gets a bounded queue: a client too slow to drain it is
dropped (its stream ends, the browser reconnects), never buffered for without limit.
Listeners (the public page cache) are called for every change, in the feed's task.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Callable, Iterator

import psycopg
from psycopg import sql

from pulsecheck.read_model.change_notices import CHANNEL, Change, parse_change
from pulsecheck.read_model.storage.connection import connect

log = logging.getLogger(__name__)

# one page's stream sees a burst of at most one notice per website per projector batch
QUEUE_SIZE = 256
RETRY_SECONDS = (0.5, 1.0, 2.0, 5.0)


class Subscription:
    def __init__(self, account_id: uuid.UUID, size: int) -> None:
        self.account_id = account_id
        # None: the stream is over (the client was too slow, or the feed stopped)
        self.queue: asyncio.Queue[Change | None] = asyncio.Queue(size)

    def offer(self, change: Change | None) -> bool:
        """False when the queue is full: the caller drops this subscriber."""
        try:
            self.queue.put_nowait(change)
        except asyncio.QueueFull:
            return False
        return True

    def end(self) -> None:
        while not self.queue.empty():
            self.queue.get_nowait()
        self.queue.put_nowait(None)


class ChangeFeed:
    def __init__(self, database_url: str, queue_size: int = QUEUE_SIZE) -> None:
        self._database_url = database_url
        self._queue_size = queue_size
        self._subscribers: dict[uuid.UUID, set[Subscription]] = {}
        self._listeners: list[Callable[[Change], None]] = []
        self.listening = asyncio.Event()
        self.dropped = 0

    def add_listener(self, listener: Callable[[Change], None]) -> None:
        self._listeners.append(listener)

    @contextlib.contextmanager
    def subscribe(self, account_id: uuid.UUID) -> Iterator[Subscription]:
        subscription = Subscription(account_id, self._queue_size)
        self._subscribers.setdefault(account_id, set()).add(subscription)
        try:
            yield subscription
        finally:
            self._unsubscribe(subscription)

    def _unsubscribe(self, subscription: Subscription) -> None:
        subscribers = self._subscribers.get(subscription.account_id)
        if subscribers is not None:
            subscribers.discard(subscription)
            if not subscribers:
                del self._subscribers[subscription.account_id]

    def deliver(self, change: Change) -> None:
        for listener in self._listeners:
            listener(change)
        for subscription in list(self._subscribers.get(change.account_id, ())):
            if not subscription.offer(change):
                self.dropped += 1
                self._unsubscribe(subscription)
                subscription.end()

    def close_all(self) -> None:
        for subscriptions in list(self._subscribers.values()):
            for subscription in list(subscriptions):
                self._unsubscribe(subscription)
                subscription.end()

    async def run(self) -> None:
        """Listen until cancelled, reconnecting after a lost connection."""
        failures = 0
        while True:
            try:
                await self._listen()
            except (psycopg.OperationalError, OSError) as exc:
                self.listening.clear()
                delay = RETRY_SECONDS[min(failures, len(RETRY_SECONDS) - 1)]
                failures += 1
                log.warning("change feed lost (%s); listening again in %.1f s", exc, delay)
                await asyncio.sleep(delay)

    async def _listen(self) -> None:
        async with await connect(self._database_url, autocommit=True) as conn:
            await conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(CHANNEL)))
            self.listening.set()
            async for notice in conn.notifies():
                change = parse_change(notice.payload)
                if change is not None:
                    self.deliver(change)
