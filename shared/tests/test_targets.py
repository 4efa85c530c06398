"""Which monitor URLs name which kinds: the scheme table, as scenarios."""

from __future__ import annotations

import pytest

from pulsecheck.shared.events.targets import default_kinds, kind_problem, normalized_target
from pulsecheck.shared.monitor_urls import UnacceptableUrl


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://Example.COM", "https://example.com/"),
        ("TCP://DB.example.com:5432", "tcp://db.example.com:5432"),
        ("tcp://[2001:db8::1]:22/", "tcp://[2001:db8::1]:22"),
        ("tls://example.com:8443", "tls://example.com:8443"),
        ("tls://example.com", "tls://example.com"),
        ("smtp://mail.example.com:587", "smtp://mail.example.com:587"),
        ("imap://mail.example.com", "imap://mail.example.com"),
        ("pop3://mail.example.com:110", "pop3://mail.example.com:110"),
        ("ldap://dir.example.com", "ldap://dir.example.com"),
        ("postgres://db.example.com", "postgres://db.example.com"),
        ("dns://_DMARC.Example.com.", "dns://_dmarc.example.com"),
    ],
)
def test_acceptable_targets_are_normalised(url: str, expected: str) -> None:
    assert normalized_target(url) == expected


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://example.com", "unknown scheme"),
        ("gopher://example.com:70", "unknown scheme"),
        ("tcp://example.com", "must name its port"),
        ("tcp://example.com:0", "port"),
        ("smtp://example.com:99999", "parsed"),
        ("smtp://user:pw@example.com", "credentials"),
        ("smtp://example.com/inbox", "only scheme://host"),
        ("tls://example.com?x=1", "only scheme://host"),
        ("imap://", "no host"),
        ("dns://example.com:53", "not a port"),
        ("dns://exa_mple..com", "DNS record"),
        ("dns://-bad.example.com", "DNS record"),
        ("dns://[2001:db8::1]", "DNS record"),
        ("tcp://exa mple.com:1", "whitespace"),
    ],
)
def test_unacceptable_targets_say_why(url: str, reason: str) -> None:
    with pytest.raises(UnacceptableUrl, match=reason):
        normalized_target(url)


@pytest.mark.parametrize(
    ("url", "kinds"),
    [
        ("https://example.com/", ["http", "tls"]),
        ("http://example.com/", ["http"]),
        ("tcp://example.com:22", ["tcp"]),
        ("tls://example.com:853", ["tls"]),
        ("smtp://example.com:587", ["tls"]),
        ("dns://example.com", ["dns"]),
        (None, ["http", "tls"]),
    ],
)
def test_default_kinds_follow_the_scheme(url: str | None, kinds: list[str]) -> None:
    assert default_kinds(url) == kinds


@pytest.mark.parametrize(
    ("kind", "url", "refused"),
    [
        ("tls", "https://example.com/", False),
        ("tls", "http://example.com/", True),
        ("tls", "smtp://example.com", False),
        ("tcp", "smtp://example.com", False),
        ("http", "smtp://example.com", True),
        ("dns", "https://example.com/", True),
        ("tcp", "dns://example.com", True),
        ("tls", "tcp://example.com:1", True),
    ],
)
def test_each_kind_checks_only_what_its_scheme_allows(kind: str, url: str, refused: bool) -> None:
    assert (kind_problem(kind, url) is not None) is refused  # type: ignore[arg-type]
