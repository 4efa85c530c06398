"""The token bucket: a burst up to the limit, then one request per refill interval."""

from __future__ import annotations

import pytest

from pulsecheck.query_api.rate_limit import RateLimiter


def test_burst_then_refill() -> None:
    limiter = RateLimiter(per_minute=3)
    assert [limiter.allow("k", 0.0) for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("other", 0.0)
    assert not limiter.allow("k", 10.0)
    assert limiter.allow("k", 20.0)


def test_full_buckets_are_forgotten_when_keys_pile_up() -> None:
    limiter = RateLimiter(per_minute=1, max_keys=2)
    assert limiter.allow("a", 0.0)
    assert limiter.allow("b", 0.0)
    assert limiter.allow("c", 120.0)
    assert limiter.allow("a", 120.0)


def test_admit_takes_from_every_bucket_or_from_none() -> None:
    limiter = RateLimiter(per_minute=2)
    assert limiter.admit(["key:a", "address:x"], 0.0) == 0.0
    assert limiter.admit(["key:b", "address:x"], 0.0) == 0.0
    # the shared address is empty: refused, and key:c keeps both its tokens
    assert limiter.admit(["key:c", "address:x"], 0.0) == 30.0
    assert limiter.admit(["key:c", "address:y"], 0.0) == 0.0
    assert limiter.admit(["key:c", "address:z"], 0.0) == 0.0
    assert limiter.admit(["key:c", "address:w"], 0.0) == 30.0


def test_admit_answers_the_wait_until_the_next_token() -> None:
    limiter = RateLimiter(per_minute=6)
    for _ in range(6):
        assert limiter.admit(["k"], 0.0) == 0.0
    assert limiter.admit(["k"], 4.0) == pytest.approx(6.0)
    assert limiter.admit(["k"], 10.0) == 0.0
