"""Channel targets: checked per kind, and shown masked where they are secrets."""

from __future__ import annotations

import pytest

from pulsecheck.query_api.channel_targets import checked_target, masked_target


@pytest.mark.parametrize(
    ("kind", "target"),
    [
        ("sms", "+14155550100"),
        ("email", "ops@example.com"),
        ("slack", "https://hooks.slack.com/services/T0/B0/abcdef"),
        ("webhook", "http://hooks.example.com/pulse"),
    ],
)
def test_good_targets_pass(kind: str, target: str) -> None:
    assert checked_target(kind, target) == target


@pytest.mark.parametrize(
    ("kind", "target"),
    [
        ("sms", "0155 555"),
        ("email", "not-an-address"),
        ("slack", "http://hooks.slack.com/services/x"),
        ("webhook", "ftp://example.com"),
    ],
)
def test_bad_targets_fail(kind: str, target: str) -> None:
    with pytest.raises(ValueError):
        checked_target(kind, target)


def test_webhook_urls_are_masked_but_phone_numbers_are_not() -> None:
    masked = masked_target("slack", "https://hooks.slack.com/services/T0/B0/abcdefSECRET")
    assert masked == "https://hooks.slack.com/…CRET"
    assert masked_target("sms", "+14155550100") == "+14155550100"
