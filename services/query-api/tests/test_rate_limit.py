"""The token bucket: a burst up to the limit, then one request per refill interval."""

from __future__ import annotations

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
