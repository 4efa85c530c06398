"""Cron fire times (UTC, epoch milliseconds) through croniter, cached per minute.

Which expressions are acceptable is the contract's rule (`pulsecheck.shared.events.cron`);
this module only computes when an accepted one fires.

Thousands of monitors share a handful of expressions ("0 0 * * *"), and each asks for the fire
after a slightly different instant; caching on (expression, minute) makes that one croniter
call per minute of the spreading window instead of one per monitor.
"""

from __future__ import annotations

from functools import lru_cache

from croniter import croniter

MINUTE_MS = 60_000


def _next_ms(expression: str, after_seconds: float) -> int:
    fire: float = croniter(expression, after_seconds).get_next(float)
    return round(fire * 1000)


def _previous_ms(expression: str, before_seconds: float) -> int:
    fire: float = croniter(expression, before_seconds).get_prev(float)
    return round(fire * 1000)


@lru_cache(maxsize=8192)
def _first_fire_at_or_after_minute(expression: str, minute: int) -> int:
    start_seconds = (minute * MINUTE_MS - 1) / 1000
    return _next_ms(expression, start_seconds)


@lru_cache(maxsize=8192)
def _last_fire_before_minute(expression: str, minute: int) -> int:
    return _previous_ms(expression, minute * MINUTE_MS / 1000)


def fire_after(expression: str, instant_ms: int) -> int:
    """The first fire time strictly after `instant_ms`."""
    fire = _first_fire_at_or_after_minute(expression, instant_ms // MINUTE_MS)
    if fire > instant_ms:
        return fire
    return _next_ms(expression, instant_ms / 1000)


def fire_at_or_before(expression: str, instant_ms: int) -> int:
    """The last fire time at or before `instant_ms`."""
    fire = _last_fire_before_minute(expression, instant_ms // MINUTE_MS + 1)
    if fire <= instant_ms:
        return fire
    return _previous_ms(expression, (instant_ms + 1) / 1000)


# a fixed reference, so the "typical" period of an expression never depends on today's date
_REFERENCE_MS = 1_704_067_200_000  # 2024-01-01T00:00:00Z


@lru_cache(maxsize=1024)
def typical_period_ms(expression: str) -> int:
    """The time between two consecutive fires after a fixed reference instant."""
    first = fire_after(expression, _REFERENCE_MS)
    return fire_after(expression, first) - first
