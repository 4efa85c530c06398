"""Status sets, body keywords and JSON fields as pure decisions."""

from __future__ import annotations

from typing import Any

import pytest

from pulsecheck.checks.http_assertions import (
    body_failure,
    resolve_json_pointer,
    status_accepted,
)
from pulsecheck.shared.events import ErrorKind, HttpCheckOptions, StatusRange

DOC = {"a": {"b/c": [10, {"d~e": "x"}]}, "ok": True}


@pytest.mark.parametrize(
    ("pointer", "value"),
    [("", DOC), ("/ok", True), ("/a/b~1c/0", 10), ("/a/b~1c/1/d~0e", "x")],
)
def test_json_pointer(pointer: str, value: Any) -> None:
    assert resolve_json_pointer(DOC, pointer) == value


@pytest.mark.parametrize("pointer", ["/missing", "/a/b~1c/9", "/ok/deeper", "no-slash"])
def test_json_pointer_misses(pointer: str) -> None:
    assert resolve_json_pointer(DOC, pointer) is not None
    assert body_failure(b'{"ok": true}', False, HttpCheckOptions(json_field_equals={pointer: 1}))


def test_status_ranges() -> None:
    ranges = [StatusRange(low=200, high=299), StatusRange(low=418, high=418)]
    assert status_accepted(204, ranges) and status_accepted(418, ranges)
    assert not status_accepted(302, ranges)


@pytest.mark.parametrize(
    ("body", "truncated", "options", "kind"),
    [
        (b"hello world", False, {"body_contains": ["world"]}, None),
        (b"hello world", False, {"body_contains": ["moon"]}, ErrorKind.ASSERTION),
        (b"hello world", True, {"body_contains": ["world"]}, None),
        (b"hello world", True, {"body_contains": ["moon"]}, ErrorKind.TOO_LARGE),
        (b"hello world", False, {"body_not_contains": ["error"]}, None),
        (b"an error", False, {"body_not_contains": ["error"]}, ErrorKind.ASSERTION),
        (b"an error", True, {"body_not_contains": ["error"]}, ErrorKind.ASSERTION),
        (b"fine so far", True, {"body_not_contains": ["error"]}, ErrorKind.TOO_LARGE),
        (b'{"s": "ok"}', False, {"json_field_equals": {"/s": "ok"}}, None),
        (b'{"s": "ok"}', True, {"json_field_equals": {"/s": "ok"}}, ErrorKind.TOO_LARGE),
        (b"<html>", False, {"json_field_equals": {"/s": "ok"}}, ErrorKind.ASSERTION),
        (b"\xff\xfe binary", False, {}, None),
    ],
)
def test_body_assertions(
    body: bytes, truncated: bool, options: dict[str, Any], kind: ErrorKind | None
) -> None:
    failure = body_failure(body, truncated, HttpCheckOptions.model_validate(options))
    assert (failure.kind if failure else None) is kind
