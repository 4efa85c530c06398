"""Every rule of a monitor's configuration, as named scenarios: accepted, or refused naming the
field that breaks it (the field the API's 422 names)."""

from __future__ import annotations

from typing import Any

import pytest

from pulsecheck.shared.events import (
    AlertRules,
    InvalidSpec,
    MonitorRegistered,
    MonitorSpec,
    spec_problems,
    validated_spec,
)

BASE: dict[str, Any] = {
    "monitor_id": "m-1",
    "account_id": "a-1",
    "name": "Shop",
    "url": "https://shop.example.test/health",
}
HUGE = 10**13


def alert(**rules: Any) -> dict[str, Any]:
    return {"alert_rules": rules}


def http(**options: Any) -> dict[str, Any]:
    return {"http": options}


def window(starts_at: str, ends_at: str) -> dict[str, Any]:
    return alert(maintenance_windows=[{"starts_at": starts_at, "ends_at": ends_at}])


ACCEPTED: list[tuple[str, dict[str, Any]]] = [
    ("defaults", {}),
    ("every 5 minutes on weekdays", {"tls_schedule": "*/5 * * * 1-5"}),
    ("yearly", {"tls_schedule": "0 0 1 1 *"}),
    ("last day of the month", {"tls_schedule": "0 0 L * *"}),
    ("http only over plain http", {"url": "http://shop.example.test/", "check_kinds": ["http"]}),
    ("tcp", {"check_kinds": ["tcp"]}),
    ("a TCP service", {"url": "tcp://db.example.test:5432"}),
    (
        "an SMTP certificate and port",
        {"url": "smtp://mail.example.test:587", "check_kinds": ["tls", "tcp"]},
    ),
    ("an LDAP certificate", {"url": "ldap://dir.example.test"}),
    ("a DNS record with defaults", {"url": "dns://example.test"}),
    (
        "a DNS record asked of a nameserver",
        {
            "url": "dns://example.test",
            "dns": {
                "record_type": "MX",
                "nameserver": "192.0.2.53",
                "answers_equal": ["10 mx1.example.test"],
                "answer_matches": "^10 ",
            },
        },
    ),
    ("multi-line body assertion", http(body_contains=["<html>\n<body>"])),
    ("json assertion", http(json_field_equals={"/status": {"ok": [1, "yes"]}})),
    ("headers", http(headers={"X-Api-Key": "s3cret", "Accept": "application/json"})),
    ("a monthly reminder", alert(reminder_minutes=30 * 24 * 60)),
    (
        "quiet hours in Paris",
        alert(quiet_hours={"start": "22:00", "end": "07:00", "timezone": "Europe/Paris"}),
    ),
    ("window with offsets", window("2026-01-15T10:00:00+00:00", "2026-01-15T12:00:00+01:30")),
    ("window read as UTC", window("2026-01-15T10:00:00", "2026-01-15T11:00")),
    ("no warnings", {"warning_days": []}),
    ("unicode name", {"name": "Boutique — été ☀"}),
]

REFUSED: list[tuple[str, dict[str, Any], str]] = [
    ("NUL in the name", {"name": "a\x00b"}, "name"),
    ("newline in the name", {"name": "a\nb"}, "name"),
    ("lone surrogate in the name", {"name": "a\ud800"}, "name"),
    ("empty name", {"name": ""}, "name"),
    ("long name", {"name": "n" * 201}, "name"),
    ("ftp URL", {"url": "ftp://example.test/"}, "url"),
    ("URL without host", {"url": "https:///x"}, "url"),
    ("URL too long", {"url": "https://example.test/" + "a" * 2100}, "url"),
    ("tls over http", {"url": "http://example.test/", "check_kinds": ["tls"]}, "check_kinds"),
    ("no check kinds", {"check_kinds": []}, "check_kinds"),
    ("a TCP URL without port", {"url": "tcp://db.example.test"}, "url"),
    ("http over smtp", {"url": "smtp://mail.example.test", "check_kinds": ["http"]}, "check_kinds"),
    ("dns over https", {"check_kinds": ["dns"]}, "check_kinds"),
    ("dns options on a web site", {"dns": {}}, "dns"),
    (
        "a nameserver by name",
        {"url": "dns://x.test", "dns": {"nameserver": "ns.x.test"}},
        "dns.nameserver",
    ),
    (
        "an unknown record type",
        {"url": "dns://x.test", "dns": {"record_type": "SRV"}},
        "dns.record_type",
    ),
    (
        "a broken pattern",
        {"url": "dns://x.test", "dns": {"answer_matches": "("}},
        "dns.answer_matches",
    ),
    (
        "too many expected answers",
        {"url": "dns://x.test", "dns": {"answers_contain": [f"10.0.0.{i}" for i in range(21)]}},
        "dns.answers_contain",
    ),
    ("repeated check kind", {"check_kinds": ["http", "http"]}, "check_kinds"),
    ("Feb 30", {"tls_schedule": "0 0 30 2 *"}, "tls_schedule"),
    ("Feb 29 only: not yearly", {"tls_schedule": "0 0 29 2 *"}, "tls_schedule"),
    ("minute 61", {"tls_schedule": "61 * * * *"}, "tls_schedule"),
    ("six fields", {"tls_schedule": "0 0 * * * 30"}, "tls_schedule"),
    ("a nickname", {"tls_schedule": "@daily"}, "tls_schedule"),
    ("words", {"tls_schedule": "every day at 1"}, "tls_schedule"),
    ("interval zero", {"interval_seconds": 0}, "interval_seconds"),
    ("interval over a day", {"interval_seconds": 86_401}, "interval_seconds"),
    ("timeout zero", {"timeout_seconds": 0}, "timeout_seconds"),
    ("tls window over a day", {"tls_window_seconds": 86_401}, "tls_window_seconds"),
    ("repeated warning day", {"warning_days": [7, 7]}, "warning_days"),
    ("too many warning days", {"warning_days": list(range(11))}, "warning_days"),
    ("warning day over ten years", {"warning_days": [3651]}, "warning_days.0"),
    ("too many regions", {"regions": [f"r{i}" for i in range(21)]}, "regions"),
    ("control character in a region", {"regions": ["eu\x07"]}, "regions.0"),
    ("huge reminder", alert(reminder_minutes=HUGE), "alert_rules.reminder_minutes"),
    (
        "huge down minutes",
        alert(minutes_down_before_incident=HUGE),
        "alert_rules.minutes_down_before_incident",
    ),
    ("huge quorum", alert(region_quorum=HUGE), "alert_rules.region_quorum"),
    (
        "huge latency threshold",
        alert(latency_threshold_ms=HUGE),
        "alert_rules.latency_threshold_ms",
    ),
    (
        "too many failures",
        alert(failures_before_incident=101),
        "alert_rules.failures_before_incident",
    ),
    (
        "unknown zone",
        alert(quiet_hours={"start": "22:00", "end": "07:00", "timezone": "Not/AZone"}),
        "alert_rules.quiet_hours.timezone",
    ),
    (
        "hour 24",
        alert(quiet_hours={"start": "24:00", "end": "07:00"}),
        "alert_rules.quiet_hours.start",
    ),
    (
        "instant that is not one",
        window("soon", "2026-01-15T11:00:00Z"),
        "alert_rules.maintenance_windows.0.starts_at",
    ),
    (
        "window ending first",
        window("2026-01-15T11:00:00Z", "2026-01-15T10:00:00Z"),
        "alert_rules.maintenance_windows.0",
    ),
    (
        "too many windows",
        alert(
            maintenance_windows=[
                {"starts_at": "2026-01-01T00:00:00Z", "ends_at": "2026-01-02T00:00:00Z"}
            ]
            * 51
        ),
        "alert_rules.maintenance_windows",
    ),
    (
        "too many channels",
        alert(channels=[f"c{i}" for i in range(21)]),
        "alert_rules.channels.ids",
    ),
    ("NUL in a channel id", alert(channels=["c\x00"]), "alert_rules.channels.ids.0"),
    ("no channel named", alert(channels=[]), "alert_rules.channels.ids"),
    ("every channel is spelt all", alert(channels="every"), "alert_rules.channels.all"),
    ("header with CR LF", http(headers={"X-A": "a\r\nX-B: b"}), "http.headers.X-A"),
    ("header name with a space", http(headers={"X A": "a"}), "http.headers.X A.[key]"),
    ("Host header", http(headers={"hOsT": "internal.example"}), "http.headers"),
    ("too many headers", http(headers={f"X-{i}": "v" for i in range(51)}), "http.headers"),
    ("too many body assertions", http(body_contains=["x"] * 21), "http.body_contains"),
    ("long body assertion", http(body_not_contains=["x" * 1025]), "http.body_not_contains.0"),
    ("NUL in a body assertion", http(body_contains=["a\x00"]), "http.body_contains.0"),
    (
        "NUL deep in a json value",
        http(json_field_equals={"/a": {"b": ["\x00"]}}),
        "http.json_field_equals./a",
    ),
    ("huge json value", http(json_field_equals={"/a": "x" * 2000}), "http.json_field_equals./a"),
    ("huge degraded latency", http(degraded_latency_ms=HUGE), "http.degraded_latency_ms"),
    ("huge body size", http(max_body_bytes=HUGE), "http.max_body_bytes"),
    ("no status range", http(expected_status=[]), "http.expected_status"),
    ("NUL in the monitor id", {"monitor_id": "m\x00"}, "monitor_id"),
]


@pytest.mark.parametrize(("name", "changes"), ACCEPTED, ids=[n for n, _ in ACCEPTED])
def test_accepted(name: str, changes: dict[str, Any]) -> None:
    spec = validated_spec(MonitorRegistered, BASE | changes, min_interval_seconds=10)
    assert spec_problems(spec, min_interval_seconds=10) == ()


@pytest.mark.parametrize(("name", "changes", "field"), REFUSED, ids=[n for n, _, _ in REFUSED])
def test_refused_naming_the_field(name: str, changes: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidSpec) as refused:
        validated_spec(MonitorRegistered, BASE | changes, min_interval_seconds=None)
    assert [problem.field for problem in refused.value.problems] == [field]


def test_the_shortest_interval_is_a_deployment_setting() -> None:
    fields = BASE | {"interval_seconds": 20}
    assert validated_spec(MonitorSpec, fields, min_interval_seconds=20).interval_seconds == 20
    with pytest.raises(InvalidSpec, match="interval_seconds must be at least 30"):
        validated_spec(MonitorSpec, fields, min_interval_seconds=30)
    # a consumer that raises short intervals itself passes None
    assert validated_spec(MonitorSpec, fields, min_interval_seconds=None).interval_seconds == 20


def test_a_spec_built_without_validation_is_caught_by_the_re_check() -> None:
    valid = validated_spec(MonitorSpec, BASE, min_interval_seconds=None)
    broken = valid.model_copy(update={"tls_schedule": "0 0 30 2 *", "name": "a\x00"})
    assert {p.field for p in spec_problems(broken, min_interval_seconds=None)} == {
        "tls_schedule",
        "name",
    }


def test_normalisations_the_api_relied_on() -> None:
    spec = validated_spec(
        MonitorSpec,
        BASE | {"url": " https://Shop.Example.TEST ", "warning_days": [1, 30, 7]},
        min_interval_seconds=None,
    )
    assert spec.url == "https://shop.example.test/"
    assert spec.warning_days == [30, 7, 1]


@pytest.mark.parametrize(
    ("stored", "read"),
    [
        pytest.param({"channel_ids": []}, "all", id="old-empty-list-meant-every-channel"),
        pytest.param({"channel_ids": ["c1"]}, ["c1"], id="old-list-names-channels"),
        pytest.param({}, "all", id="default-is-every-channel"),
        pytest.param({"channels": "all"}, "all", id="explicit-every-channel"),
    ],
)
def test_channels_upcast_on_read(stored: dict[str, Any], read: object) -> None:
    assert AlertRules.model_validate(stored).channels == read
