"""Property: every spec the contract accepts can be planned by the scheduler and judged by the
notifier without raising. The contract is the only guard between a tenant and those shared
workers, so this is where a missing bound (a Feb 30 cron, 10**13 reminder minutes) shows up."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from pulsecheck.notifier.decide import advance_time, decide, has_timed_work
from pulsecheck.notifier.rules import MonitorRules
from pulsecheck.notifier.state import MonitorState
from pulsecheck.scheduler.planner import PlanningRules
from pulsecheck.scheduler.schedule import PartitionSchedule
from pulsecheck.shared.events import CheckCompleted, CheckError, ErrorKind, MonitorSpec

# plausible values, each bound and a step past it, and anything up to 10**13
BOUNDARY_INTS = st.one_of(
    st.integers(1, 20),
    st.sampled_from([0, 59, 100, 101, 3650, 10_080, 43_200, 43_201, 86_400, 10**13]),
    st.integers(0, 10**13),
)
CRON_FIELD = st.one_of(
    st.just("*"),
    st.integers(0, 62).map(str),
    st.integers(1, 40).map(lambda n: f"*/{n}"),
    st.tuples(st.integers(0, 31), st.integers(0, 31)).map(lambda r: f"{r[0]}-{r[1]}"),
    st.sampled_from(["L", "mon", "1#5", "?", "feb"]),
)
CRON = st.one_of(
    st.lists(CRON_FIELD, min_size=5, max_size=5).map(" ".join),
    st.lists(CRON_FIELD, min_size=4, max_size=6).map(" ".join),
    st.sampled_from(["0 0 30 2 *", "0 0 29 2 *", "0 0 31 4 *", "0 0 1 1 *", "@daily"]),
)
INSTANT = st.one_of(
    st.datetimes(
        min_value=datetime(1, 1, 2),
        max_value=datetime(9999, 12, 30),
        timezones=st.sampled_from([UTC, None]),
    ).map(lambda d: d.isoformat()),
    st.sampled_from(["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00", "soon"]),
)
QUIET_HOURS = st.fixed_dictionaries(
    {
        "start": st.sampled_from(["00:00", "22:00", "23:59", "24:00"]),
        "end": st.sampled_from(["00:00", "07:00", "12:30"]),
        "timezone": st.sampled_from(["UTC", "Europe/Paris", "Pacific/Kiritimati", "X/Y"]),
    }
)
WINDOWS = st.lists(st.fixed_dictionaries({"starts_at": INSTANT, "ends_at": INSTANT}), max_size=3)
# (path, values): each scenario changes a few fields of a valid spec, so most stay accepted
# and every extreme an accepted spec can hold is reached
CHANGES: dict[tuple[str, ...], st.SearchStrategy[Any]] = {
    ("name",): st.text(max_size=5),
    ("url",): st.sampled_from(["https://[::1]:8443/", "http://shop.test/", "ftp://x/"]),
    ("check_kinds",): st.lists(st.sampled_from(["http", "tls", "tcp"]), max_size=3),
    ("interval_seconds",): BOUNDARY_INTS,
    ("tls_schedule",): CRON,
    ("tls_window_seconds",): BOUNDARY_INTS,
    ("warning_days",): st.lists(BOUNDARY_INTS, max_size=4),
    ("paused",): st.booleans(),
    ("regions",): st.lists(st.sampled_from(["eu", "us", "ap"]), max_size=3, unique=True),
    ("http", "degraded_latency_ms"): BOUNDARY_INTS,
    ("alert_rules", "failures_before_incident"): BOUNDARY_INTS,
    ("alert_rules", "successes_before_resolve"): BOUNDARY_INTS,
    ("alert_rules", "minutes_down_before_incident"): BOUNDARY_INTS,
    ("alert_rules", "region_quorum"): BOUNDARY_INTS,
    ("alert_rules", "latency_threshold_ms"): BOUNDARY_INTS,
    ("alert_rules", "reminder_minutes"): BOUNDARY_INTS,
    ("alert_rules", "notify_degraded"): st.booleans(),
    ("alert_rules", "quiet_hours"): QUIET_HOURS,
    ("alert_rules", "maintenance_windows"): WINDOWS,
}
CHANGE = st.sampled_from(sorted(CHANGES)).flatmap(
    lambda path: st.tuples(st.just(path), CHANGES[path])
)


def _changed(changes: list[tuple[tuple[str, ...], Any]]) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "monitor_id": "m-1",
        "account_id": "a-1",
        "name": "Shop",
        "url": "https://shop.test/",
        "regions": ["eu"],
        "http": {},
        "alert_rules": {"failures_before_incident": 2},
    }
    for path, value in changes:
        target = fields
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value
    return fields


SPEC_FIELDS = st.lists(CHANGE, min_size=1, max_size=4).map(_changed)
# the workers run in the present, however odd the spec's own instants are
NOW = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)).map(
    lambda d: d.replace(tzinfo=UTC)
)


def accepted(fields: dict[str, Any]) -> MonitorSpec | None:
    try:
        return MonitorSpec.model_validate(fields)
    except ValidationError:
        return None


def result(spec: MonitorSpec, at: datetime, region: str, down: bool) -> CheckCompleted:
    return CheckCompleted(
        request_id=f"{spec.monitor_id}:{at.isoformat()}:{region}",
        monitor_id=spec.monitor_id,
        account_id=spec.account_id,
        kind="http",
        region=region,
        target=spec.url,
        scheduled_for=at,
        started_at=at,
        finished_at=at,
        outcome="down" if down else "up",
        error=CheckError(kind=ErrorKind.STATUS, message="HTTP 503") if down else None,
    )


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fields=SPEC_FIELDS, now=NOW, later_minutes=BOUNDARY_INTS)
# the specs that killed a worker before the contract refused them
@example(_changed([(("tls_schedule",), "0 0 30 2 *")]), datetime(2026, 1, 1, tzinfo=UTC), 1)
@example(_changed([(("tls_schedule",), "61 * * * *")]), datetime(2026, 1, 1, tzinfo=UTC), 1)
@example(
    _changed([(("alert_rules", "reminder_minutes"), 10**13)]), datetime(2026, 1, 1, tzinfo=UTC), 1
)
def test_an_accepted_spec_never_breaks_a_worker(
    fields: dict[str, Any], now: datetime, later_minutes: int
) -> None:
    spec = accepted(fields)
    if spec is None:
        return
    now_ms = round(now.timestamp() * 1000)
    schedule = PartitionSchedule(PlanningRules())
    schedule.upsert(spec, now_ms)
    schedule.start(now_ms, now_ms - 86_400_000)
    schedule.pop_due(now_ms + 366 * 86_400_000, limit=10)

    rules = MonitorRules.from_spec(spec)
    state = MonitorState(monitor_id=spec.monitor_id)
    for step in range(6):
        at = now + timedelta(minutes=step)
        for region in spec.regions or ["eu"]:
            state = decide(state, result(spec, at, region, down=step < 4), rules, at).state
    later = now + timedelta(minutes=min(later_minutes, 10**6))
    has_timed_work(state, rules, later)
    advance_time(state, rules, later)
