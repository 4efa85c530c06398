"""What a monitor's cron expression must be: 5 fields croniter accepts, firing at least yearly.

The scheduler plans with croniter, so croniter is the judge here too: one parser, one rule.
"Feb 30" parses but never fires, and an expression that fires less than once a year would
keep croniter searching for decades on every plan, so both are refused.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated

from croniter import croniter
from pydantic import AfterValidator, Field

FIELDS = 5
MAX_GAP_SECONDS = 366 * 86_400
# a fixed reference, so whether an expression is accepted never depends on today's date
_REFERENCE_SECONDS = 1_704_067_200.0  # 2024-01-01T00:00:00Z


@lru_cache(maxsize=1024)
def cron_problem(expression: str) -> str | None:
    """Why `expression` cannot be a monitor's schedule, or None when it can."""
    if len(expression.split()) != FIELDS:
        return f"must be a cron expression of {FIELDS} fields"
    try:
        fires = croniter(expression, _REFERENCE_SECONDS, max_years_between_matches=1)
        first: float = fires.get_next(float)
        second: float = fires.get_next(float)
    except (ValueError, KeyError, TypeError, OverflowError) as exc:
        # croniter's own errors are ValueErrors; the others come from odd field values
        return f"is not a valid cron expression: {exc}"
    if first - _REFERENCE_SECONDS > MAX_GAP_SECONDS or second - first > MAX_GAP_SECONDS:
        return "must fire at least once a year"
    return None


def cron_expression(value: str) -> str:
    problem = cron_problem(value)
    if problem is not None:
        raise ValueError(problem)
    return value


CronExpression = Annotated[
    str, Field(min_length=9, max_length=100), AfterValidator(cron_expression)
]


# a week covers weekday-only and weekend schedules; the cap bounds a per-minute expression
_GAP_HORIZON_SECONDS = 8 * 86_400
_GAP_FIRINGS = 2_000


@lru_cache(maxsize=1024)
def longest_gap_seconds(expression: str) -> int:
    """The longest wait between two firings of a valid `expression` over a week (or between
    its first two firings, for one that fires less often): how stale its latest result may be."""
    fires = croniter(expression, _REFERENCE_SECONDS, max_years_between_matches=1)
    previous: float = fires.get_next(float)
    longest = 0.0
    for _ in range(_GAP_FIRINGS):
        following: float = fires.get_next(float)
        longest = max(longest, following - previous)
        previous = following
        if previous - _REFERENCE_SECONDS > _GAP_HORIZON_SECONDS:
            break
    return round(longest)
