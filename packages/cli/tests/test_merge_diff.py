from __future__ import annotations

from typing import Any

import pytest

from pulsecheck.cli.merge_diff import merge_diff, patch_paths

SCENARIOS: list[tuple[str, dict[str, Any], dict[str, Any], dict[str, Any], list[str]]] = [
    ("equal", {"a": 1, "b": {"c": 2}}, {"a": 1, "b": {"c": 2}}, {}, []),
    ("one scalar", {"a": 1, "b": 2}, {"a": 1, "b": 3}, {"b": 3}, ["b"]),
    ("nested member", {"h": {"m": "GET", "r": 5}}, {"h": {"m": "POST", "r": 5}},
     {"h": {"m": "POST"}}, ["h.m"]),
    ("dropped member resets", {"a": 1, "d": {"x": 1}}, {"a": 1, "d": None}, {"d": None}, ["d"]),
    ("dropped map key", {"headers": {"A": "1", "B": "2"}}, {"headers": {"A": "1"}},
     {"headers": {"B": None}}, ["headers.B"]),
    ("lists replace whole", {"l": [1, 2]}, {"l": [2, 1]}, {"l": [2, 1]}, ["l"]),
    ("object where there was none", {"d": None}, {"d": {"x": 1}}, {"d": {"x": 1}}, ["d.x"]),
    ("a new member", {}, {"n": "x"}, {"n": "x"}, ["n"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("current", "desired", "patch", "paths"),
    [scenario[1:] for scenario in SCENARIOS],
    ids=[scenario[0] for scenario in SCENARIOS],
)
def test_merge_diff(
    current: dict[str, Any], desired: dict[str, Any], patch: dict[str, Any], paths: list[str]
) -> None:
    assert merge_diff(current, desired) == patch
    assert patch_paths(patch) == paths


def test_the_patch_applied_by_rfc_7396_gives_the_desired_document() -> None:
    current = {"a": 1, "h": {"m": "GET", "hd": {"X": "1"}}, "gone": {"y": 2}}
    desired = {"a": 2, "h": {"m": "GET", "hd": {"Y": "2"}}}
    assert _merge(current, merge_diff(current, desired)) == desired


def _merge(target: Any, patch: Any) -> Any:
    # RFC 7396's algorithm as written in the RFC, apart from the code under test
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = _merge(result.get(key), value)
    return result
