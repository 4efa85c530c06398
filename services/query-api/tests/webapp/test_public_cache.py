"""The public pages' cache: TTL, size bound, and per-account invalidation."""

from __future__ import annotations

import uuid

from pulsecheck.read_model.change_notices import Change
from pulsecheck.webapp.public.cache import PublicCache

A, B = uuid.uuid4(), uuid.uuid4()


class Clock:
    now = 0.0

    def __call__(self) -> float:
        return self.now


def test_an_entry_lives_for_its_ttl() -> None:
    clock = Clock()
    cache = PublicCache(ttl=10, clock=clock)
    cache.put("status:a", A, b"<p>", "text/html")
    clock.now = 9.9
    assert cache.get("status:a") is not None
    clock.now = 10.0
    assert cache.get("status:a") is None


def test_a_change_ends_its_accounts_entries_once_they_are_min_age_old() -> None:
    clock = Clock()
    cache = PublicCache(ttl=10, clock=clock, min_age=2)
    cache.put("status:a", A, b"a", "text/html")
    cache.put("badge:t:status:30d", A, b"a", "image/svg+xml")
    cache.put("status:b", B, b"b", "text/html")
    clock.now = 1.0
    cache.on_change(Change(A, uuid.uuid4()))
    # a burst of changes costs at most one render per min_age
    assert cache.get("status:a") is not None
    clock.now = 2.0
    assert cache.get("status:a") is None and cache.get("badge:t:status:30d") is None
    assert cache.get("status:b") is not None


def test_an_edit_drops_the_accounts_entries_at_once() -> None:
    cache = PublicCache(ttl=10, clock=Clock())
    cache.put("status:a", A, b"a", "text/html")
    cache.drop_account(A)
    assert cache.get("status:a") is None


def test_the_oldest_entry_goes_when_full() -> None:
    cache = PublicCache(ttl=10, max_entries=2, clock=Clock())
    for key in ("one", "two", "three"):
        cache.put(key, A, b"", "text/html")
    assert cache.get("one") is None and cache.get("two") and cache.get("three")
