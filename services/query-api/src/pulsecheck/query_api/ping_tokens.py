"""Ping tokens: made at registration, kept only hashed, found in memory on every ping.

The directory answers from a map of every live token hash, refreshed from the read model in
the background; a token it does not know (a heartbeat registered since the last refresh) costs
one indexed query, and the answer, found or not, is remembered until the next refresh.

A removed monitor's token stops working at once, not at the next refresh: this replica's
removal calls `forget_monitor` as soon as the removal is published, and another replica's is
heard through the read model's change notices (`on_change`: the monitor is looked up again
in the background, and forgotten if it is gone). A removal stays in `_removed` until the
read model shows it too, so neither a refresh nor a lookup that raced it brings it back. A
lost LISTEN connection loses notices; the refresh bounds what that costs.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import secrets
import uuid

from pulsecheck.read_model.change_notices import Change
from pulsecheck.read_model.storage.connection import Pool
from pulsecheck.read_model.storage.ping_tokens import (
    PingTarget,
    live_heartbeats,
    ping_target,
    ping_targets,
)

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
        # the monitors of the remembered tokens: which change notices are worth a look
        self._monitors: set[uuid.UUID] = set()
        # removals heard of that the read model may not show yet
        self._removed: set[uuid.UUID] = set()
        self._refreshes = 0
        # monitors named by change notices, to be looked up again
        self._suspects: set[uuid.UUID] = set()
        self._checking: asyncio.Task[None] | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await self.refresh()
        self._task = asyncio.create_task(self._refresh_forever(), name="ping-token-refresh")

    async def stop(self) -> None:
        for task in (self._task, self._checking):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    async def refresh(self) -> None:
        async with self._pool.connection() as conn:
            live = await ping_targets(conn)
        # replaced whole: removed monitors and remembered misses go with the old map
        self._known = {
            digest: target
            for digest, target in live.items()
            if target.monitor_id not in self._removed
        }
        self._monitors = {target.monitor_id for target in live.values()}
        self._removed &= self._monitors  # what the read model shows removed is out anyway
        self._refreshes += 1

    async def find(self, token: str) -> PingTarget | None:
        digest = token_sha256(token)
        if digest in self._known:
            target = self._known[digest]
        else:
            target = await self._look_up(digest)
        if target is not None and target.monitor_id in self._removed:
            return None
        return target

    async def _look_up(self, digest: str) -> PingTarget | None:
        refreshes = self._refreshes
        async with self._pool.connection() as conn:
            target = await ping_target(conn, digest)
        # a refresh that ended meanwhile may have dropped a removal this answer predates
        if self._refreshes == refreshes and (
            target is not None or len(self._known) < MAX_REMEMBERED
        ):
            self._remember(digest, target)
        return target

    def remember(self, token_sha256: str, target: PingTarget) -> None:
        """A token just issued: its first ping needs no query."""
        self._remember(token_sha256, target)

    def _remember(self, digest: str, target: PingTarget | None) -> None:
        self._known[digest] = target
        if target is not None:
            self._monitors.add(target.monitor_id)

    def forget_monitor(self, monitor_id: uuid.UUID) -> None:
        """The monitor is removed: its token finds nothing from now on (any monitor: one whose
        token this replica has not seen yet must not be found before the read model knows)."""
        self._removed.add(monitor_id)

    def on_change(self, change: Change) -> None:
        """A change notice (the web app's feed): a monitor with a token may have been removed
        by another replica; look it up again, in the background."""
        if change.monitor_id not in self._monitors or change.monitor_id in self._removed:
            return
        self._suspects.add(change.monitor_id)
        if self._checking is None or self._checking.done():
            self._checking = asyncio.create_task(self._check_suspects(), name="ping-token-check")

    async def _check_suspects(self) -> None:
        # notices come in bursts (a projector batch names each monitor once): one query each
        while self._suspects:
            suspects, self._suspects = self._suspects, set()
            try:
                async with self._pool.connection() as conn:
                    live = await live_heartbeats(conn, suspects)
            except Exception:  # a database blip: the next refresh catches up
                log.warning("ping token check failed", exc_info=True)
                return
            for monitor_id in suspects - live:
                self.forget_monitor(monitor_id)

    async def _refresh_forever(self) -> None:
        while True:
            await asyncio.sleep(self._refresh_seconds)
            try:
                await self.refresh()
            except Exception:  # a database blip: keep serving the map we have
                log.warning("ping token refresh failed", exc_info=True)
