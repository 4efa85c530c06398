"""Per-key locks that serialize the commands on one monitor, URL or channel in this process.

They replace PostgreSQL advisory locks, which are tied to a connection: holding one across a
publish held a pooled connection for as long as the broker took (43 s in an outage) and
starved every read. These hold nothing but a slot in a dict.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator


class KeyedLocks:
    def __init__(self) -> None:
        # a lock and how many hold or wait for it, dropped when that reaches zero
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    @contextlib.asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users == 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)

    def __len__(self) -> int:
        return len(self._locks)
