"""The channel registry: each kind's target rules, its masking, and every list derived from it."""

from __future__ import annotations

import subprocess
import sys

import pytest
from pydantic import ValidationError

from pulsecheck.channels.recipients import RecipientDigest
from pulsecheck.channels.registry import (
    REGISTRY,
    UnknownChannelKind,
    checked_config,
    config_schemas,
    masked_target,
    refusal,
)
from pulsecheck.channels.senders import SENDERS
from pulsecheck.testing.alerts import channel


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
    assert checked_config(kind, target, None).target == target


@pytest.mark.parametrize(
    ("kind", "target"),
    [
        ("sms", "0155 555"),
        ("email", "not-an-address"),
        ("slack", "http://hooks.slack.com/services/x"),
        ("webhook", "ftp://example.com"),
        ("webhook", "https://example.com/a\x00b"),
        ("email", "ops\x07@example.com"),
        ("webhook", "https://example.com/" + "a" * 2048),
        ("email", "a" * 64 + "@" + "b" * 190 + ".com"),
    ],
)
def test_bad_targets_fail(kind: str, target: str) -> None:
    with pytest.raises(ValidationError):
        checked_config(kind, target, None)


def test_secrets_have_bounds_and_no_control_characters() -> None:
    url = "https://hooks.example.com/x"
    assert checked_config("webhook", url, "long-enough").secret == "long-enough"
    for secret in ("short", "with-a-nul-\x00-inside"):
        with pytest.raises(ValidationError):
            checked_config("webhook", url, secret)


def test_unknown_kinds_are_refused() -> None:
    with pytest.raises(UnknownChannelKind):
        checked_config("pager", "+14155550100", None)


def test_consumers_get_a_reason_that_does_not_repeat_the_target() -> None:
    bad = channel("sms", "+1 not a number")
    reason = refusal(bad)
    assert reason is not None and "not a number" not in reason
    assert refusal(channel("sms", "+14155550100")) is None
    assert refusal(channel("pager", "x")) is not None


def test_webhook_urls_are_masked_and_so_are_phone_numbers_and_addresses() -> None:
    masked = masked_target("slack", "https://hooks.slack.com/services/T0/B0/abcdefSECRET")
    assert masked == "https://hooks.slack.com/…CRET"
    assert masked_target("sms", "+14155550100") == "+•••••••0100"
    assert masked_target("email", "ops@example.com") == "o•••@example.com"


def test_schemas_and_kinds_come_from_the_registry() -> None:
    assert set(config_schemas()) == set(REGISTRY) == {"sms", "email", "slack", "webhook"}
    assert config_schemas()["sms"]["properties"]["target"]["maxLength"] == 16


def test_recipient_digest_is_keyed_and_stable() -> None:
    digest = RecipientDigest(b"key-1")
    assert digest("+14155550100") == digest("+14155550100")
    assert digest("+14155550100") != RecipientDigest(b"key-2")("+14155550100")
    assert "4155550100" not in digest("+14155550100")


def test_every_kind_has_a_sender_and_every_sender_a_kind() -> None:
    assert list(SENDERS) == list(REGISTRY)


def test_the_registry_of_configurations_loads_no_provider_sdk() -> None:
    # the API, the CLI and the admin import the registry: boto3 and twilio took ~2 s of it
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, pulsecheck.channels.registry;"
         "print(sorted({'boto3', 'botocore', 'twilio'} & set(sys.modules)))"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    assert loaded == "[]"
