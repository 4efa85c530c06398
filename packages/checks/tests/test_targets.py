"""Reading targets (pure)."""

from __future__ import annotations

import pytest

from pulsecheck.checks.failures import ProbeFailure
from pulsecheck.checks.targets import parse_host_port, parse_http_target


@pytest.mark.parametrize(
    ("url", "host", "port", "resource", "host_header"),
    [
        ("https://Example.com", "example.com", 443, "/", "example.com"),
        ("http://example.com:8080/a?b=1", "example.com", 8080, "/a?b=1", "example.com:8080"),
        ("http://[2001:db8::1]/x", "2001:db8::1", 80, "/x", "[2001:db8::1]"),
    ],
)
def test_http_targets(url: str, host: str, port: int, resource: str, host_header: str) -> None:
    target = parse_http_target(url)
    assert (target.host, target.port, target.resource, target.host_header) == (
        host,
        port,
        resource,
        host_header,
    )


@pytest.mark.parametrize("url", ["ftp://x/", "http://", "http://x:99999/", "example.com"])
def test_bad_http_targets(url: str) -> None:
    with pytest.raises(ProbeFailure):
        parse_http_target(url)


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("https://example.com/path", ("example.com", 443)),
        ("http://example.com", ("example.com", 80)),
        ("example.com:8443", ("example.com", 8443)),
        ("example.com", ("example.com", 443)),
        ("[::1]:25", ("::1", 25)),
    ],
)
def test_host_port(target: str, expected: tuple[str, int]) -> None:
    assert parse_host_port(target, 443) == expected
