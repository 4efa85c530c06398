"""What an HTTP response must satisfy: status set, body keywords, JSON fields (pure)."""

from __future__ import annotations

import json
from typing import Any

from pulsecheck.shared.events import CheckError, ErrorKind, HttpCheckOptions, StatusRange

_MISSING = object()


def status_accepted(status: int, expected: list[StatusRange]) -> bool:
    return any(accepted.accepts(status) for accepted in expected)


def resolve_json_pointer(document: Any, pointer: str) -> Any:
    """The value at an RFC 6901 pointer ("" is the whole document), or `_MISSING`."""
    if pointer == "":
        return document
    if not pointer.startswith("/"):
        return _MISSING
    current = document
    for raw in pointer[1:].split("/"):
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(current, dict) and token in current:
            current = current[token]
        elif isinstance(current, list) and token.isdigit() and int(token) < len(current):
            current = current[int(token)]
        else:
            return _MISSING
    return current


def _too_large(what: str, cap: int) -> CheckError:
    return CheckError(
        kind=ErrorKind.TOO_LARGE, message=f"{what} cannot be decided: body exceeds {cap} bytes"
    )


def body_failure(body: bytes, truncated: bool, options: HttpCheckOptions) -> CheckError | None:
    """Why the body fails its assertions; on a truncated body only what is proven counts."""
    cap = options.max_body_bytes
    text = body.decode("utf-8", errors="replace")
    for needle in options.body_contains:
        if needle not in text:
            if truncated:
                return _too_large(f"body contains {needle!r}", cap)
            return CheckError(kind=ErrorKind.ASSERTION, message=f"body lacks {needle!r}")
    for needle in options.body_not_contains:
        if needle in text:
            return CheckError(kind=ErrorKind.ASSERTION, message=f"body contains {needle!r}")
        if truncated:
            return _too_large(f"body does not contain {needle!r}", cap)
    if options.json_field_equals:
        return _json_failure(text, truncated, options)
    return None


def _json_failure(text: str, truncated: bool, options: HttpCheckOptions) -> CheckError | None:
    if truncated:
        return _too_large("JSON fields", options.max_body_bytes)
    try:
        document = json.loads(text)
    except ValueError:
        return CheckError(kind=ErrorKind.ASSERTION, message="body is not JSON")
    for pointer, expected in options.json_field_equals.items():
        found = resolve_json_pointer(document, pointer)
        if found is _MISSING:
            return CheckError(kind=ErrorKind.ASSERTION, message=f"JSON has no {pointer!r}")
        if found != expected:
            return CheckError(
                kind=ErrorKind.ASSERTION,
                message=f"JSON {pointer!r} is {found!r}, expected {expected!r}",
            )
    return None
