"""The ping URLs, `/ping/<token>[/start|/fail|/<exit code>]` with GET or POST: their rules,
declared once for the FastAPI routes (OpenAPI, validation errors) and the ping lane, and the
lane's parser, pure.

The parser recognises only what the routes accept in their plainest spelling; anything else
(a malformed token, an exit code above 255 or of more than three digits, another method, a
trailing slash) is left to the routes, which answer it as they always have.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pulsecheck.shared.events.heartbeats import MAX_EXIT_CODE, PingSignal

PREFIX = "/ping"
METHODS = ("GET", "POST")
TOKEN_MIN_LENGTH = 20
TOKEN_MAX_LENGTH = 100
TOKEN_CHARACTERS = "A-Za-z0-9_-"
TOKEN_PATTERN = f"^[{TOKEN_CHARACTERS}]+$"

# the routes under PREFIX, in FastAPI's order: "start" and "fail" before an exit code
SUCCESS = "/{token}"
START = "/{token}/start"
FAIL = "/{token}/fail"
EXIT_CODE = "/{token}/{code}"

_PATH = re.compile(
    rf"{PREFIX}/([{TOKEN_CHARACTERS}]{{{TOKEN_MIN_LENGTH},{TOKEN_MAX_LENGTH}}})"
    rf"(?:/(start|fail|[0-9]{{1,{len(str(MAX_EXIT_CODE))}}}))?"
)
_SIGNALS: dict[str | None, tuple[PingSignal, str]] = {
    None: ("success", SUCCESS),
    "start": ("start", START),
    "fail": ("fail", FAIL),
}


@dataclass(frozen=True, slots=True)
class PingCall:
    token: str
    signal: PingSignal
    exit_code: int | None
    # the route template, e.g. "/ping/{token}/start": what the request metrics are labelled by
    path: str


def ping_call(method: str, path: str) -> PingCall | None:
    """The ping `method` and `path` make, or None when the routes should answer them."""
    if method not in METHODS:
        return None
    matched = _PATH.fullmatch(path)
    if matched is None:
        return None
    token, last = matched.groups()
    if last in _SIGNALS:
        signal, template = _SIGNALS[last]
        return PingCall(token, signal, None, PREFIX + template)
    code = int(last)
    if code > MAX_EXIT_CODE:
        return None
    return PingCall(token, "success", code, PREFIX + EXIT_CODE)
