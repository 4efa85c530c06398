from __future__ import annotations

from datetime import UTC, datetime

from pulsecheck.scheduler.check_requests import (
    check_requested_for,
    envelope_for,
    from_epoch_ms,
    to_epoch_ms,
)
from pulsecheck.scheduler.planner import PlanningRules
from pulsecheck.scheduler.schedule import DueCheck, PartitionSchedule
from pulsecheck.shared.events import HttpCheckOptions, MonitorSpec, decode, encode

SLOT = datetime(2025, 6, 1, 12, 0, 7, tzinfo=UTC)


def due(kind: str, **changes: object) -> DueCheck:
    spec = MonitorSpec.model_validate(
        {
            "monitor_id": "m-1",
            "account_id": "acct-1",
            "name": "site",
            "url": "https://site.test/health",
            "interval_seconds": 60,
            "timeout_seconds": 4.5,
            "warning_days": [21, 7],
            "http": {"method": "HEAD", "body_contains": ["ok"]},
        }
        | changes
    )
    monitor = PartitionSchedule(PlanningRules()).upsert(spec, 0)
    return DueCheck(monitor, kind, to_epoch_ms(SLOT))  # type: ignore[arg-type]


def test_request_carries_what_to_check_and_by_when() -> None:
    request = check_requested_for(due("http"), max_lateness_ms=300_000)
    assert request.request_id == f"m-1:http:{SLOT.isoformat()}"
    assert (request.monitor_id, request.account_id, request.kind) == ("m-1", "acct-1", "http")
    assert request.target == "https://site.test/health"
    assert request.http == HttpCheckOptions(method="HEAD", body_contains=["ok"])
    assert request.timeout_seconds == 4.5
    assert request.warning_days == [21, 7]
    assert request.scheduled_for == SLOT
    assert (request.deadline - SLOT).total_seconds() == 60
    assert request.trigger == "schedule"


def test_a_dns_request_carries_its_options_and_others_carry_none() -> None:
    options = {"record_type": "MX", "nameserver": "192.0.2.53", "answers_contain": ["10 mx.test"]}
    dns = due("dns", url="dns://site.test", dns=options, http={})
    request = check_requested_for(dns, max_lateness_ms=300_000)
    assert (request.kind, request.target) == ("dns", "dns://site.test")
    assert request.dns is not None and request.dns.record_type == "MX"
    assert check_requested_for(due("http"), max_lateness_ms=300_000).dns is None


def test_daily_tls_request_deadline_is_capped() -> None:
    request = check_requested_for(due("tls"), max_lateness_ms=300_000)
    assert (request.deadline - SLOT).total_seconds() == 300


def test_envelope_id_is_the_same_for_a_re_emission() -> None:
    request = check_requested_for(due("http"), max_lateness_ms=300_000)
    first = envelope_for(request, to_epoch_ms(SLOT) + 40)
    again = envelope_for(request, to_epoch_ms(SLOT) + 9_000)
    assert first.id == again.id
    assert first.subject == "m-1"
    decoded = decode(encode(first))
    assert not hasattr(decoded, "reason") and decoded.data == request


def test_epoch_conversions_round_trip() -> None:
    assert from_epoch_ms(to_epoch_ms(SLOT)) == SLOT


def test_request_names_the_monitors_regions() -> None:
    assert check_requested_for(due("http"), max_lateness_ms=1).regions == []
    request = check_requested_for(due("http", regions=["eu", "local"]), max_lateness_ms=1)
    assert request.regions == ["eu", "local"]
