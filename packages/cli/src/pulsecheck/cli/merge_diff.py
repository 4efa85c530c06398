"""The JSON Merge Patch (RFC 7396) that turns one document into another, and the paths it
touches: what `apply` sends for a changed website, and what its diff shows."""

from __future__ import annotations

from typing import Any


def merge_diff(current: dict[str, Any], desired: dict[str, Any]) -> dict[str, Any]:
    """The smallest merge patch taking `current` to `desired`: changed members only, objects
    recursed into, `null` for a member `desired` drops (the API then restores its default)."""
    patch: dict[str, Any] = {}
    for name in current.keys() | desired.keys():
        now, wanted = current.get(name), desired.get(name)
        if wanted is None:
            if now is not None:
                patch[name] = None
        elif isinstance(now, dict) and isinstance(wanted, dict):
            if inner := merge_diff(now, wanted):
                patch[name] = inner
        elif now != wanted:
            patch[name] = wanted
    # the order of the desired document, so a patch reads the way the file does
    order = list(desired) + [name for name in current if name not in desired]
    return {name: patch[name] for name in order if name in patch}


def patch_paths(patch: dict[str, Any], prefix: str = "") -> list[str]:
    """The leaves a patch sets, as dotted paths (`alert_rules.channels`)."""
    paths: list[str] = []
    for name, value in patch.items():
        path = f"{prefix}{name}"
        if isinstance(value, dict) and value:
            paths.extend(patch_paths(value, f"{path}."))
        else:
            paths.append(path)
    return paths
