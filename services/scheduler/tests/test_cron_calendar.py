from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pulsecheck.scheduler.cron_calendar import (
    fire_after,
    fire_at_or_before,
    typical_period_ms,
)


def ms(text: str) -> int:
    return round(datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp() * 1000)


@pytest.mark.parametrize(
    ("name", "expression", "instant", "after", "at_or_before"),
    [
        ("midnight, mid-day", "0 0 * * *", "2025-03-10T12:00:00", "2025-03-11", "2025-03-10"),
        ("midnight, exactly", "0 0 * * *", "2025-03-10T00:00:00", "2025-03-11", "2025-03-10"),
        (
            "midnight, a millisecond before",
            "0 0 * * *",
            "2025-03-09T23:59:59.999",
            "2025-03-10",
            "2025-03-09",
        ),
        (
            "every 15 minutes, inside a minute",
            "*/15 * * * *",
            "2025-03-10T10:15:30",
            "2025-03-10T10:30:00",
            "2025-03-10T10:15:00",
        ),
        (
            "with seconds field",
            "0 0 * * * 30",
            "2025-03-10T00:00:10",
            "2025-03-10T00:00:30",
            "2025-03-09T00:00:30",
        ),
    ],
)
def test_fire_times(
    name: str, expression: str, instant: str, after: str, at_or_before: str
) -> None:
    assert fire_after(expression, ms(instant)) == ms(after), name
    assert fire_at_or_before(expression, ms(instant)) == ms(at_or_before), name


def test_typical_period() -> None:
    assert typical_period_ms("0 0 * * *") == 86_400_000
    assert typical_period_ms("*/5 * * * *") == 300_000
