"""The pure form translations: a stored spec written into the form reads back the same."""

from __future__ import annotations

from typing import Any

import pytest

from pulsecheck.query_api.api.schemas.monitors import MonitorCreate
from pulsecheck.shared.events import AlertRules
from pulsecheck.webapp.forms.alert_rules_form import alert_rule_fields, alert_rule_values
from pulsecheck.webapp.forms.channel_form import channel_fields
from pulsecheck.webapp.forms.fields import FormProblem
from pulsecheck.webapp.forms.monitor_form import monitor_fields, monitor_form_values


def _as_form(values: dict[str, Any]) -> dict[str, str]:
    """What a browser posts: text for every field, ticked boxes as "on", unticked absent."""
    form = {}
    for name, value in values.items():
        if value is True:
            form[name] = "on"
        elif value not in (False, None):
            form[name] = str(value)
    return form


def test_every_monitor_option_survives_the_form_round_trip() -> None:
    spec = MonitorCreate.model_validate(
        {
            "name": "Shop", "url": "https://shop.example/health", "check_kinds": ["http", "tls"],
            "interval_seconds": 60, "timeout_seconds": 7.5, "tls_schedule": "30 2 * * *",
            "warning_days": [21, 7], "paused": True, "regions": ["eu", "us"],
            "http": {
                "method": "POST", "headers": {"X-Probe": "pulsecheck"},
                "expected_status": [{"low": 200, "high": 299}, {"low": 418, "high": 418}],
                "follow_redirects": False, "max_redirects": 0, "body_contains": ["ok", "ready"],
                "body_not_contains": ["error"],
                "json_field_equals": {"/status": "ok", "/count": 3},
                "degraded_latency_ms": 800, "max_body_bytes": 2048,
            },
        }
    ).model_dump(mode="json")  # fmt: skip
    read_back = MonitorCreate.model_validate(monitor_fields(_as_form(monitor_form_values(spec))))
    assert read_back.model_dump(mode="json") == spec


@pytest.mark.parametrize(
    ("field", "text", "problem"),
    [
        ("headers", "no colon here", "headers"),
        ("expected_status", "two hundred", "expected status"),
        ("json_field_equals", "status = ok", "JSON checks"),
        ("warning_days", "30, soon", "warning days"),
        ("interval_seconds", "often", "interval"),
    ],
)
def test_text_that_means_nothing_is_named_in_the_problem(
    field: str, text: str, problem: str
) -> None:
    values = monitor_form_values(MonitorCreate(name="a", url="https://a.example").model_dump())
    form = {**_as_form(values), field: text}
    with pytest.raises(FormProblem, match=problem):
        monitor_fields(form)


def test_alert_rules_round_trip_with_quiet_hours_windows_and_channels() -> None:
    rules = AlertRules.model_validate(
        {
            "failures_before_incident": 2, "minutes_down_before_incident": 5,
            "successes_before_resolve": 3, "region_quorum": 2, "latency_threshold_ms": 900,
            "notify_degraded": True, "reminder_minutes": 60,
            "quiet_hours": {"start": "22:00", "end": "07:00", "timezone": "Europe/Paris"},
            "maintenance_windows": [
                {"starts_at": "2026-12-01T00:00:00Z", "ends_at": "2026-12-01T02:00:00Z"}
            ],
            "channel_ids": ["c2"],
        }
    ).model_dump(mode="json")  # fmt: skip
    values = alert_rule_values(rules)
    form = _as_form({k: v for k, v in values.items() if k != "channel_ids"})
    form["channel_c2"] = "on"
    read_back = AlertRules.model_validate(alert_rule_fields(form, ["c1", "c2"]))
    assert read_back.model_dump(mode="json") == rules


def test_a_blank_target_on_an_edit_keeps_the_stored_one_and_no_secret_is_typed_in() -> None:
    edit = channel_fields({"name": "ops", "enabled": "on", "secret": "mine"}, creating=False)
    assert "target" not in edit and "secret" not in edit
    new = channel_fields({"kind": "webhook", "name": "ops", "target": "https://h.example/x",
                          "secret": "chosen"}, creating=True)  # fmt: skip
    assert "secret" not in new and new["enabled"] is False
