"""Which URLs may be monitored, and how they are normalised."""

from __future__ import annotations

import pytest

from pulsecheck.shared.monitor_urls import (
    UnacceptableUrl,
    normalized_monitor_url,
    tls_check_url,
)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://Example.COM", "https://example.com/"),
        ("http://example.com:8080/a?b=1", "http://example.com:8080/a?b=1"),
        ("https://[2001:db8::1]:8443/x", "https://[2001:db8::1]:8443/x"),
        ("  https://example.com/  ", "https://example.com/"),
    ],
)
def test_acceptable_urls_are_normalised(url: str, expected: str) -> None:
    assert normalized_monitor_url(url) == expected


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("", "empty"),
        ("ftp://example.com", "only http and https"),
        ("javascript:alert(1)", "only http and https"),
        ("https://user:secret@example.com", "credentials"),
        ("https://user@example.com", "credentials"),
        ("https://example.com:0", "port"),
        ("https://example.com:70000", "parsed"),
        ("https:///path", "no host"),
        ("https://exa mple.com", "whitespace"),
        ("https://example.com/#frag", "fragment"),
        ("https://example.com/" + "a" * 3000, "longer"),
    ],
)
def test_unacceptable_urls_say_why(url: str, reason: str) -> None:
    with pytest.raises(UnacceptableUrl, match=reason):
        normalized_monitor_url(url)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://Example.COM", "https://example.com/"),
        ("example.com", "https://example.com/"),
        ("example.com:8443", "https://example.com:8443/"),
    ],
)
def test_certificate_check_urls_read_bare_hosts_as_https(url: str, expected: str) -> None:
    assert tls_check_url(url) == expected


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://example.com", "needs an https URL"),
        ("ftp://example.com", "only http and https"),
        ("https://", "no host"),
        ("https://user:pw@example.com", "credentials"),
        ("", "empty"),
    ],
)
def test_certificate_check_urls_refused_with_a_reason(url: str, reason: str) -> None:
    with pytest.raises(UnacceptableUrl, match=reason):
        tls_check_url(url)
