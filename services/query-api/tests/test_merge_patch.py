"""RFC 7396 examples (appendix A) and the cases a monitor's PATCH relies on."""

from __future__ import annotations

from typing import Any

import pytest

from pulsecheck.query_api.api.merge_patch import merge_patch


@pytest.mark.parametrize(
    ("target", "patch", "result"),
    [
        ({"a": "b"}, {"a": "c"}, {"a": "c"}),
        ({"a": "b"}, {"b": "c"}, {"a": "b", "b": "c"}),
        ({"a": "b"}, {"a": None}, {}),
        ({"a": "b", "b": "c"}, {"a": None}, {"b": "c"}),
        ({"a": ["b"]}, {"a": "c"}, {"a": "c"}),
        ({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}, {"a": {"b": "d"}}),
        ({"a": [{"b": "c"}]}, {"a": [1]}, {"a": [1]}),
        ({"e": None}, {"a": 1}, {"e": None, "a": 1}),
        ({}, {"a": {"bb": {"ccc": None}}}, {"a": {"bb": {}}}),
        pytest.param(
            {"alert_rules": {"channels": ["c1"], "quiet_hours": {"start": "22:00"}}},
            {"alert_rules": {"failures_before_incident": 5}},
            {
                "alert_rules": {
                    "channels": ["c1"],
                    "quiet_hours": {"start": "22:00"},
                    "failures_before_incident": 5,
                }
            },
            id="partial-alert-rules-keep-channels-and-quiet-hours",
        ),
        pytest.param(
            {"alert_rules": {"quiet_hours": {"start": "22:00"}}},
            {"alert_rules": {"quiet_hours": None}},
            {"alert_rules": {}},
            id="null-resets-a-nested-field",
        ),
    ],
)
def test_merge_patch(target: dict[str, Any], patch: dict[str, Any], result: dict[str, Any]) -> None:
    assert merge_patch(target, patch) == result
