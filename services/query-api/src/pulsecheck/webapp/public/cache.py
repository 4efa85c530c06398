"""An in-process TTL cache of rendered public responses, dropped per account on a change.

A spike of visitors to one status page costs one render per TTL: the rest are answered from
memory. A change in the account (from the change feed) ends its entries early, but never
before they are `MIN_AGE_SECONDS` old: a busy account changes many times a second, and a
page rendered on every change would send the spike to PostgreSQL after all. So a page is at
most MIN_AGE behind a change, and at most the TTL behind when the feed is down.
"""

from __future__ import annotations

import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace

from pulsecheck.read_model.change_notices import Change

TTL_SECONDS = 20.0
MIN_AGE_SECONDS = 2.0
MAX_ENTRIES = 2048


@dataclass(frozen=True)
class Cached:
    account_id: uuid.UUID
    body: bytes
    media_type: str
    created_at: float
    expires_at: float


class PublicCache:
    def __init__(
        self,
        ttl: float = TTL_SECONDS,
        max_entries: int = MAX_ENTRIES,
        clock: Callable[[], float] = time.monotonic,
        min_age: float = MIN_AGE_SECONDS,
    ) -> None:
        self._ttl = ttl
        self._min_age = min(min_age, ttl)
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
        now = self._clock()
        entry = Cached(account_id, body, media_type, now, now + self._ttl)
        self._entries[key] = entry
        self._entries.move_to_end(key)
        while len(self._entries) > self._max:
            self._entries.popitem(last=False)  # the oldest entry goes first
        return entry

    def drop_account(self, account_id: uuid.UUID) -> None:
        """After an edit of the account's pages: its entries go now."""
        stale = [k for k, e in self._entries.items() if e.account_id == account_id]
        for key in stale:
            del self._entries[key]

    def on_change(self, change: Change) -> None:
        """A result changed: the account's entries end once they are MIN_AGE old."""
        for key, entry in list(self._entries.items()):
            if entry.account_id == change.account_id:
                ends = entry.created_at + self._min_age
                if ends < entry.expires_at:
                    self._entries[key] = replace(entry, expires_at=ends)
