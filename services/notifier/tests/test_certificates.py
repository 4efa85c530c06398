"""Certificate scenarios: warnings once per crossed threshold, renewal, invalid certificates."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from pulsecheck.notifier.certificates import crossed_thresholds
from pulsecheck.notifier.decide import decide
from pulsecheck.notifier.rules import MonitorRules
from pulsecheck.notifier.state import MonitorState
from pulsecheck.shared.events import CertificateExpiring, CheckCompleted
from pulsecheck.testing.results import tls_result

MONITOR = "mon-tls"
RULES = MonitorRules(
    monitor_id=MONITOR, account_id="acct-1", name="Shop", url="https://shop.example.test/"
)
OLD, NEW = "aa" * 32, "bb" * 32


def announced(results: Sequence[CheckCompleted], rules: MonitorRules = RULES) -> list[str]:
    state = MonitorState(monitor_id=MONITOR)
    out: list[str] = []
    for result in results:
        decision = decide(state, result, rules, result.finished_at)
        state = decision.state
        for notice in decision.deliver:
            alert = notice.alert
            if isinstance(alert, CertificateExpiring):
                out.append(f"expiring:{alert.threshold_days}:{alert.days_remaining}")
            else:
                out.append(f"{notice.transition}:{alert.kind}")
    return out


def days(*remaining: int, fingerprint: str = OLD, start: int = 0) -> list[CheckCompleted]:
    return [
        tls_result(MONITOR, start + i, days_remaining=d, fingerprint=fingerprint)
        for i, d in enumerate(remaining)
    ]


SCENARIOS = [
    pytest.param(days(60, 45, 31), [], id="far-from-expiry"),
    pytest.param(
        days(29, 13, 6), ["expiring:30:29", "expiring:14:13", "expiring:7:6"], id="29-13-6"
    ),
    pytest.param(days(29, 28, 27, 26), ["expiring:30:29"], id="once-per-threshold"),
    pytest.param(days(6, 5, 4), ["expiring:7:6"], id="first-seen-late-says-nearest-once"),
    pytest.param(days(2, 1, 0), ["expiring:3:2", "expiring:1:1"], id="last-days"),
    pytest.param(
        days(10) + days(89, fingerprint=NEW, start=1) + days(13, fingerprint=NEW, start=2),
        ["expiring:14:10", "expiring:14:13"],
        id="renewal-clears-announced",
    ),
]


@pytest.mark.parametrize(("results", "expected"), SCENARIOS)
def test_expiry_warnings(results: list[CheckCompleted], expected: list[str]) -> None:
    assert announced(results) == expected


def test_invalid_certificate_alerts_at_once_and_resolves_when_fixed() -> None:
    results = [
        tls_result(MONITOR, 0, days_remaining=-1, valid=False),
        tls_result(MONITOR, 1, days_remaining=-2, valid=False),
        tls_result(MONITOR, 2, days_remaining=80, fingerprint=NEW),
    ]
    assert announced(results) == ["opened:tls_invalid", "resolved:tls_invalid"]


def test_custom_warning_days() -> None:
    rules = RULES.model_copy(update={"warning_days": (10, 5)})
    assert announced(days(29, 9, 4), rules) == ["expiring:10:9", "expiring:5:4"]


@pytest.mark.parametrize(
    ("remaining", "crossed"),
    [(31, set()), (30, {30}), (13, {30, 14}), (0, {30, 14, 7, 3, 1})],
)
def test_crossed_thresholds(remaining: int, crossed: set[int]) -> None:
    assert crossed_thresholds(remaining, (30, 14, 7, 3, 1)) == crossed
