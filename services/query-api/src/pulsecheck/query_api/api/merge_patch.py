"""JSON Merge Patch (RFC 7396), pure: how `PATCH /websites/{id}` changes a stored spec."""

from __future__ import annotations

from typing import Any

MERGE_PATCH = "application/merge-patch+json"


def merge_patch(target: Any, patch: Any) -> Any:
    """`patch` applied to `target`: objects merge member by member, `null` removes a member
    (the field then takes its default), anything else (lists included) replaces."""
    if not isinstance(patch, dict):
        return patch
    merged = dict(target) if isinstance(target, dict) else {}
    for name, value in patch.items():
        if value is None:
            merged.pop(name, None)
        else:
            merged[name] = merge_patch(merged.get(name), value)
    return merged
