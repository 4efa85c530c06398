"""Which requests a prober runs: those of its region, or of every region."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pulsecheck.prober.worker import assigned_here
from pulsecheck.shared.events import CheckRequested

AT = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def request(regions: list[str]) -> CheckRequested:
    return CheckRequested(
        request_id="m:http:t",
        monitor_id="m",
        account_id="a",
        kind="http",
        target="https://shop.test/",
        scheduled_for=AT,
        deadline=AT,
        regions=regions,
    )


@pytest.mark.parametrize(
    ("regions", "here", "runs"),
    [
        pytest.param([], "eu", True, id="no-regions-means-every-region"),
        pytest.param(["eu", "local"], "eu", True, id="assigned"),
        pytest.param(["local"], "eu", False, id="another-regions-check"),
    ],
)
def test_assigned_here(regions: list[str], here: str, runs: bool) -> None:
    assert assigned_here(request(regions), here) is runs
