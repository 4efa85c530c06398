"""The ping lane's parser takes exactly the plainest spelling of what the routes accept."""

from __future__ import annotations

import pytest

from pulsecheck.query_api.api.ping_paths import PingCall, ping_call

TOKEN = "Ab3_-" * 8  # 40 characters of the token alphabet

TAKEN = {
    ("GET", f"/ping/{TOKEN}"): PingCall(TOKEN, "success", None, "/ping/{token}"),
    ("POST", f"/ping/{TOKEN}"): PingCall(TOKEN, "success", None, "/ping/{token}"),
    ("POST", f"/ping/{TOKEN}/start"): PingCall(TOKEN, "start", None, "/ping/{token}/start"),
    ("GET", f"/ping/{TOKEN}/fail"): PingCall(TOKEN, "fail", None, "/ping/{token}/fail"),
    ("POST", f"/ping/{TOKEN}/0"): PingCall(TOKEN, "success", 0, "/ping/{token}/{code}"),
    ("POST", f"/ping/{TOKEN}/255"): PingCall(TOKEN, "success", 255, "/ping/{token}/{code}"),
    ("GET", f"/ping/{TOKEN}/007"): PingCall(TOKEN, "success", 7, "/ping/{token}/{code}"),
    ("GET", "/ping/" + "a" * 20): PingCall("a" * 20, "success", None, "/ping/{token}"),
    ("GET", "/ping/" + "a" * 100): PingCall("a" * 100, "success", None, "/ping/{token}"),
}

# left to the routes: a 422, a 405, a redirect, or another spelling FastAPI also accepts
LEFT = [
    ("PUT", f"/ping/{TOKEN}"),
    ("HEAD", f"/ping/{TOKEN}"),
    ("GET", f"/ping/{TOKEN}/256"),
    ("GET", f"/ping/{TOKEN}/0255"),
    ("GET", f"/ping/{TOKEN}/+7"),
    ("GET", f"/ping/{TOKEN}/-1"),
    ("GET", f"/ping/{TOKEN}/START"),
    ("GET", f"/ping/{TOKEN}/"),
    ("GET", f"/ping/{TOKEN}/start/"),
    ("GET", f"/ping/{TOKEN}/start/1"),
    ("GET", "/ping/" + "a" * 19),
    ("GET", "/ping/" + "a" * 101),
    ("GET", f"/ping/{TOKEN[:-1]}="),
    ("GET", f"/ping/{TOKEN[:-1]}é"),
    ("GET", "/ping/"),
    ("GET", "/ping"),
    ("GET", f"/pings/{TOKEN}"),
    ("GET", f"/api/ping/{TOKEN}"),
    ("GET", "/websites"),
]


@pytest.mark.parametrize(("method", "path"), TAKEN.keys())
def test_a_well_formed_ping_is_taken(method: str, path: str) -> None:
    assert ping_call(method, path) == TAKEN[method, path]


@pytest.mark.parametrize(("method", "path"), LEFT)
def test_anything_else_is_left_to_the_routes(method: str, path: str) -> None:
    assert ping_call(method, path) is None
