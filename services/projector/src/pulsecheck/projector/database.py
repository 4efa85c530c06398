"""The projector's connection to PostgreSQL, made again after an outage instead of exiting.

Every database step of the projector runs through `Database.run`: when PostgreSQL goes away
(a refused or lost connection, an administrator's shutdown: psycopg's OperationalError) the
connection is dropped, and the whole step is tried again on a new one after a capped,
jittered exponential backoff. A step is one transaction with the projector's positions in it
and every write is idempotent (event ids, `ON CONFLICT DO NOTHING`, `greatest()` positions),
so a retry neither loses nor duplicates a row, even when the first try's COMMIT landed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

import psycopg

from pulsecheck.read_model.storage.connection import Connection

log = logging.getLogger(__name__)

T = TypeVar("T")
Connect = Callable[[], Awaitable[Connection]]


@dataclass(frozen=True)
class Backoff:
    first_seconds: float = 0.2
    # short enough that the projector is back within seconds of PostgreSQL
    max_seconds: float = 5.0

    def delay(self, attempt: int, draw: Callable[[], float] = random.random) -> float:
        """Attempt 0, 1, 2…: half the capped exponential step fixed, half random, so replicas
        do not reconnect in step and the wait never collapses to zero."""
        step = min(self.max_seconds, self.first_seconds * 2.0 ** min(attempt, 32))
        return step / 2 + draw() * step / 2


class Database:
    def __init__(
        self,
        connect: Connect | None,
        stop: asyncio.Event | None = None,
        backoff: Backoff = Backoff(),
        conn: Connection | None = None,
    ) -> None:
        """`connect` makes a ready connection (staging tables included); without it (the
        rebuild) `conn` is used as is and an error ends the step."""
        self._connect = connect
        self._stop = stop or asyncio.Event()
        self._backoff = backoff
        self._conn = conn
        # the write in flight and the rebalance listener may both find no connection
        self._connecting = asyncio.Lock()

    @classmethod
    def of(cls, conn: Connection) -> Database:
        return cls(None, conn=conn)

    async def run(self, step: Callable[[Connection], Awaitable[T]]) -> T:
        attempt = 0
        while True:
            try:
                return await step(await self._connection())
            except psycopg.OperationalError as exc:
                if self._connect is None:
                    raise
                await self._discard()
                delay = self._backoff.delay(attempt)
                attempt += 1
                log.warning(
                    "database unavailable; retrying",
                    extra={"attempt": attempt, "in_seconds": round(delay, 2), "error": str(exc)},
                )
                if await self._stopping_within(delay):
                    raise

    async def close(self) -> None:
        await self._discard()

    async def _connection(self) -> Connection:
        async with self._connecting:
            if self._conn is None:
                assert self._connect is not None  # one without it always has a connection
                self._conn = await self._connect()
            return self._conn

    async def _discard(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None and self._connect is not None:
            with contextlib.suppress(psycopg.Error):
                await conn.close()

    async def _stopping_within(self, seconds: float) -> bool:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stop.wait(), seconds)
        return self._stop.is_set()
