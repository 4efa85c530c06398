"""An in-process TTL cache of rendered public responses, dropped per account on a change.

A spike of visitors to one status page costs one render per TTL: the rest are answered from
memory. The change feed empties an account's entries the moment its results change, so the
TTL only bounds staleness when the feed is down.
"""

from __future__ import annotations

import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from pulsecheck.read_model.change_notices import Change

TTL_SECONDS = 20.0
MAX_ENTRIES = 2048


@dataclass(frozen=True)
class Cached:
    account_id: uuid.UUID
    body: bytes
    media_type: str
    expires_at: float


class PublicCache:
    def __init__(
        self,
        ttl: float = TTL_SECONDS,
        max_entries: int = MAX_ENTRIES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ttl = ttl
        self._max = max_entries
        self._clock = clock
        self._entries: OrderedDict[str, Cached] = OrderedDict()

    def get(self, key: str) -> Cached | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry.expires_at <= self._clock():
            del self._entries[key]
            return None
        return entry

    def put(self, key: str, account_id: uuid.UUID, body: bytes, media_type: str) -> Cached:
        entry = Cached(account_id, body, media_type, self._clock() + self._ttl)
        self._entries[key] = entry
        self._entries.move_to_end(key)
        while len(self._entries) > self._max:
            self._entries.popitem(last=False)  # the oldest entry goes first
        return entry

    def drop_account(self, account_id: uuid.UUID) -> None:
        """On a result change (from the feed) or an edit of the account's pages."""
        stale = [k for k, e in self._entries.items() if e.account_id == account_id]
        for key in stale:
            del self._entries[key]

    def on_change(self, change: Change) -> None:
        self.drop_account(change.account_id)
