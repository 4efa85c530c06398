"""A token bucket per key (API key, client address): pure, the caller passes `now`."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class _Bucket:
    tokens: float
    updated: float


@dataclass
class RateLimiter:
    per_minute: int
    max_keys: int = 100_000
    _buckets: dict[str, _Bucket] = field(default_factory=dict)

    def allow(self, key: str, now: float) -> bool:
        """Take one token from `key`'s bucket if it has one; `now` in seconds (monotonic)."""
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= self.max_keys:
                self._forget_full(now)
            bucket = self._buckets[key] = _Bucket(float(self.per_minute), now)
        refill = (now - bucket.updated) * self.per_minute / 60.0
        bucket.tokens = min(float(self.per_minute), bucket.tokens + max(0.0, refill))
        bucket.updated = now
        if bucket.tokens < 1.0:
            return False
        bucket.tokens -= 1.0
        return True

    def _forget_full(self, now: float) -> None:
        # a bucket that has refilled completely carries no information
        full_after = 60.0
        self._buckets = {
            key: bucket
            for key, bucket in self._buckets.items()
            if now - bucket.updated < full_after
        }
