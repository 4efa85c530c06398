"""The alert-rules form of one website: every field of `AlertRules`, channels as checkboxes."""

from __future__ import annotations

from typing import Any

from pulsecheck.webapp.forms.fields import (
    Form,
    FormProblem,
    checked,
    lines,
    optional_int,
    text,
)

_NUMBERS = {
    "failures_before_incident": "failures before an incident",
    "minutes_down_before_incident": "minutes down before an incident",
    "successes_before_resolve": "successes before resolving",
    "region_quorum": "region quorum",
    "latency_threshold_ms": "latency threshold",
    "reminder_minutes": "reminder minutes",
}


def _windows(rows: list[str]) -> list[dict[str, str]]:
    windows = []
    for row in rows:
        starts, slash, ends = row.partition("/")
        if not slash:
            raise FormProblem(f"maintenance windows: {row!r} is not `start / end`")
        windows.append({"starts_at": starts.strip(), "ends_at": ends.strip()})
    return windows


def alert_rule_fields(form: Form, channel_ids: list[str]) -> dict[str, Any]:
    """`AlertRules` input; `channel_ids` are the account's channels, offered as checkboxes."""
    numbers = {name: optional_int(form, name, label) for name, label in _NUMBERS.items()}
    rules: dict[str, Any] = {k: v for k, v in numbers.items() if v is not None}
    rules["notify_degraded"] = checked(form, "notify_degraded")
    if text(form, "quiet_start") or text(form, "quiet_end"):
        rules["quiet_hours"] = {
            "start": text(form, "quiet_start"),
            "end": text(form, "quiet_end"),
            "timezone": text(form, "quiet_timezone") or "UTC",
        }
    rules["maintenance_windows"] = _windows(lines(form, "maintenance_windows"))
    # no box ticked: every channel, said explicitly
    chosen = [cid for cid in channel_ids if checked(form, f"channel_{cid}")]
    rules["channels"] = chosen or "all"
    return rules


def alert_rule_values(rules: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {name: rules.get(name) or "" for name in _NUMBERS}
    quiet = rules.get("quiet_hours") or {}
    values.update(
        notify_degraded=rules.get("notify_degraded", False),
        quiet_start=quiet.get("start", ""),
        quiet_end=quiet.get("end", ""),
        quiet_timezone=quiet.get("timezone", "UTC"),
        maintenance_windows="\n".join(
            f"{w['starts_at']} / {w['ends_at']}" for w in rules.get("maintenance_windows", [])
        ),
        channel_ids=_chosen_channels(rules),
    )
    return values


def _chosen_channels(rules: dict[str, Any]) -> set[str]:
    """The channels ticked: none for "all" (and for rules stored as `channel_ids: []`)."""
    stored = rules.get("channels", rules.get("channel_ids", []))
    return set(stored) if isinstance(stored, list) else set()
