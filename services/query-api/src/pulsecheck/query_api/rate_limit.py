"""A token bucket per key (API key, account, client address): pure, the caller passes `now`.

Each key may carry its own rate (`admit_quotas`), so one request can be counted against a
key's budget and a larger account budget at once, all or nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

# a bucket's key and its requests per minute
Quota = tuple[str, int]


@dataclass
class _Bucket:
    tokens: float
    updated: float
    per_minute: int


@dataclass
class RateLimiter:
    per_minute: int
    max_keys: int = 100_000
    _buckets: dict[str, _Bucket] = field(default_factory=dict)

    def allow(self, key: str, now: float) -> bool:
        """Take one token from `key`'s bucket if it has one; `now` in seconds (monotonic)."""
        return self.admit([key], now) == 0.0

    def admit(self, keys: Sequence[str], now: float) -> float:
        """Take one token from every bucket of `keys` when each has one and answer 0.0;
        else take nothing and answer the seconds until each has one (for Retry-After)."""
        return self.admit_quotas([(key, self.per_minute) for key in keys], now)

    def admit_quotas(self, quotas: Sequence[Quota], now: float) -> float:
        """`admit`, each key at its own rate."""
        buckets = [self._refilled(key, per_minute, now) for key, per_minute in quotas]
        wait = max(
            ((1.0 - bucket.tokens) * 60.0 / bucket.per_minute for bucket in buckets), default=0.0
        )
        if wait > 0.0:
            return wait
        for bucket in buckets:
            bucket.tokens -= 1.0
        return 0.0

    def _refilled(self, key: str, per_minute: int, now: float) -> _Bucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= self.max_keys:
                self._forget_full(now)
            bucket = self._buckets[key] = _Bucket(float(per_minute), now, per_minute)
        refill = (now - bucket.updated) * per_minute / 60.0
        bucket.per_minute = per_minute
        bucket.tokens = min(float(per_minute), bucket.tokens + max(0.0, refill))
        bucket.updated = now
        return bucket

    def _forget_full(self, now: float) -> None:
        # a bucket that has refilled completely carries no information
        full_after = 60.0
        self._buckets = {
            key: bucket
            for key, bucket in self._buckets.items()
            if now - bucket.updated < full_after
        }
