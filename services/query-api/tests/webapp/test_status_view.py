"""A status page's bars and headline: pure."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from pulsecheck.webapp.public.status_view import DAYS, first_day, overall, website_bars

TODAY = datetime(2025, 3, 31, tzinfo=UTC)


def _site(status: str, paused: bool = False) -> dict[str, object]:
    return {"id": uuid.uuid4(), "name": status, "status": status, "paused": paused}


def test_ninety_bars_from_the_first_day_to_today_with_gaps_as_none() -> None:
    site = _site("up")
    daily = {site["id"]: {TODAY: 100.0, TODAY - timedelta(days=1): 90.0}}
    (bars,) = website_bars([site], daily, TODAY)  # type: ignore[arg-type]
    assert len(bars.bars) == DAYS and bars.bars[0].day == first_day(TODAY)
    assert [b.level for b in bars.bars[-3:]] == ["none", "down", "up"]
    assert bars.percent == 95.0  # days without checks do not count


def test_the_headline_names_the_worst_status_and_paused_counts_as_fine() -> None:
    def headline(*sites: dict[str, object]) -> str:
        return overall(website_bars(list(sites), {}, TODAY))  # type: ignore[arg-type]

    assert headline(_site("up"), _site("down", paused=True)) == "All systems operational"
    assert headline(_site("up"), _site("degraded")) == "Some systems are degraded"
    assert headline(_site("degraded"), _site("down")) == "Some systems are down"
    assert headline(_site("unknown")) == headline() == "Status not known yet"
