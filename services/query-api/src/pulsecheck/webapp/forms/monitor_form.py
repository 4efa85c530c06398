"""The website form: every option of `MonitorCreate` except alert rules (they have their own).

Lists are typed as text: regions and warning days comma-separated, headers as
`Name: value` lines, expected statuses as `200-399, 418`, JSON checks as `/pointer = value`.
"""

from __future__ import annotations

import json
from typing import Any, get_args

from pulsecheck.shared.events.common import CheckKind
from pulsecheck.shared.sealing_headers import masked_headers
from pulsecheck.webapp.forms.fields import (
    Form,
    FormProblem,
    checked,
    comma_list,
    lines,
    optional_int,
    required_number,
    text,
)

CHECK_KINDS: tuple[CheckKind, ...] = get_args(CheckKind)
HTTP_METHODS = ("GET", "HEAD", "POST", "PUT", "OPTIONS")


def _status_ranges(raw: str) -> list[dict[str, int]]:
    ranges = []
    for part in (p.strip() for p in raw.split(",") if p.strip()):
        low, _, high = part.partition("-")
        try:
            ranges.append({"low": int(low), "high": int(high or low)})
        except ValueError as exc:
            raise FormProblem(f"expected status: {part!r} is not a code or a range") from exc
    return ranges


def _headers(rows: list[str]) -> dict[str, str]:
    headers = {}
    for row in rows:
        name, colon, value = row.partition(":")
        if not colon or not name.strip():
            raise FormProblem(f"headers: {row!r} is not `Name: value`")
        headers[name.strip()] = value.strip()
    return headers


def _json_checks(rows: list[str]) -> dict[str, Any]:
    checks: dict[str, Any] = {}
    for row in rows:
        pointer, equals, raw = row.partition("=")
        if not equals or not pointer.strip().startswith("/"):
            raise FormProblem(f"JSON checks: {row!r} is not `/pointer = value`")
        try:
            checks[pointer.strip()] = json.loads(raw)
        except json.JSONDecodeError:
            checks[pointer.strip()] = raw.strip()  # a bare word is meant as a string
    return checks


def _days(raw: list[str]) -> list[int]:
    try:
        return [int(day) for day in raw]
    except ValueError as exc:
        raise FormProblem("certificate warning days must be whole numbers") from exc


def monitor_fields(form: Form) -> dict[str, Any]:
    """What the form asks for, shaped as `MonitorCreate` input (validated by the caller)."""
    http: dict[str, Any] = {
        "method": text(form, "method") or "GET",
        "headers": _headers(lines(form, "headers")),
        "expected_status": _status_ranges(text(form, "expected_status") or "200-399"),
        "follow_redirects": checked(form, "follow_redirects"),
        "max_redirects": optional_int(form, "max_redirects", "max redirects") or 0,
        "body_contains": lines(form, "body_contains"),
        "body_not_contains": lines(form, "body_not_contains"),
        "json_field_equals": _json_checks(lines(form, "json_field_equals")),
        "degraded_latency_ms": optional_int(form, "degraded_latency_ms", "degraded latency"),
    }
    max_body = optional_int(form, "max_body_bytes", "max body bytes")
    if max_body is not None:
        http["max_body_bytes"] = max_body
    return {
        "name": text(form, "name"),
        "url": text(form, "url"),
        "check_kinds": [kind for kind in CHECK_KINDS if checked(form, f"kind_{kind}")],
        "interval_seconds": int(required_number(form, "interval_seconds", "interval")),
        "timeout_seconds": required_number(form, "timeout_seconds", "timeout"),
        "tls_schedule": text(form, "tls_schedule"),
        "http": http,
        "warning_days": _days(comma_list(form, "warning_days")),
        "paused": checked(form, "paused"),
        "regions": comma_list(form, "regions"),
    }


def monitor_form_values(spec: dict[str, Any]) -> dict[str, Any]:
    """A stored spec (or `MonitorCreate` defaults) written back into the form's fields."""
    http = spec["http"]
    values: dict[str, Any] = {
        "name": spec["name"],
        "url": spec["url"],
        "interval_seconds": spec["interval_seconds"],
        "timeout_seconds": spec["timeout_seconds"],
        "tls_schedule": spec["tls_schedule"],
        "warning_days": ", ".join(str(day) for day in spec["warning_days"]),
        "paused": spec["paused"],
        "regions": ", ".join(spec["regions"]),
        "method": http["method"],
        # sealed credentials as their mask; the mask sent back keeps the sealed value
        "headers": "\n".join(f"{k}: {v}" for k, v in masked_headers(http["headers"]).items()),
        "expected_status": ", ".join(
            str(r["low"]) if r["low"] == r["high"] else f"{r['low']}-{r['high']}"
            for r in http["expected_status"]
        ),
        "follow_redirects": http["follow_redirects"],
        "max_redirects": http["max_redirects"],
        "body_contains": "\n".join(http["body_contains"]),
        "body_not_contains": "\n".join(http["body_not_contains"]),
        "json_field_equals": "\n".join(
            f"{k} = {json.dumps(v)}" for k, v in http["json_field_equals"].items()
        ),
        "degraded_latency_ms": http.get("degraded_latency_ms") or "",
        "max_body_bytes": http["max_body_bytes"],
    }
    for kind in CHECK_KINDS:
        values[f"kind_{kind}"] = kind in spec["check_kinds"]
    return values
