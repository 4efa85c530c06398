"""Ping tokens: made at registration, kept only hashed, found in memory on every ping.

The directory answers from a map of every live token hash, refreshed from the read model in
the background; a token it does not know (a heartbeat registered since the last refresh) costs
one indexed query, and the answer, found or not, is remembered until the next refresh.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import secrets

from pulsecheck.read_model.storage.connection import Pool
from pulsecheck.read_model.storage.ping_tokens import PingTarget, ping_target, ping_targets

log = logging.getLogger(__name__)

TOKEN_BYTES = 32
# misses are remembered only up to here: random tokens must not grow the map without bound
MAX_REMEMBERED = 200_000


def new_ping_token() -> tuple[str, str]:
    """A token (32 random bytes, URL-safe) and the hash that is all PulseCheck keeps of it."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, token_sha256(token)


def token_sha256(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class TokenDirectory:
    def __init__(self, pool: Pool, refresh_seconds: float = 30.0) -> None:
        self._pool = pool
        self._refresh_seconds = refresh_seconds
        self._known: dict[str, PingTarget | None] = {}
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await self.refresh()
        self._task = asyncio.create_task(self._refresh_forever(), name="ping-token-refresh")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def refresh(self) -> None:
        async with self._pool.connection() as conn:
            # replaced whole: removed monitors and remembered misses go with the old map
            self._known = dict(await ping_targets(conn))

    async def find(self, token: str) -> PingTarget | None:
        digest = token_sha256(token)
        if digest in self._known:
            return self._known[digest]
        async with self._pool.connection() as conn:
            target = await ping_target(conn, digest)
        if target is not None or len(self._known) < MAX_REMEMBERED:
            self._known[digest] = target
        return target

    def remember(self, token_sha256: str, target: PingTarget) -> None:
        """A token just issued: its first ping needs no query."""
        self._known[token_sha256] = target

    async def _refresh_forever(self) -> None:
        while True:
            await asyncio.sleep(self._refresh_seconds)
            try:
                await self.refresh()
            except Exception:  # a database blip: keep serving the map we have
                log.warning("ping token refresh failed", exc_info=True)
