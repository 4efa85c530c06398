"""A channel's secret fields, sealed by the API's public key and opened by the notifier's."""

from __future__ import annotations

import pytest

from pulsecheck.channels.sealed import open_channel, seal_channel, sealed_kids
from pulsecheck.shared.events import ChannelConfigured
from pulsecheck.shared.events.common import ChannelKind
from pulsecheck.shared.sealing import SealingError, opener_from, sealer_from
from pulsecheck.testing.alerts import channel
from pulsecheck.testing.sealing_keys import run_keys

SLACK_URL = "https://hooks.slack.com/services/T000/B000/verysecretpart"
HOOK_URL = "https://hooks.example.com/in?token=tok-123456"
SECRET = "generated-signing-secret-0123456789"


@pytest.fixture(scope="module")
def keys() -> tuple[str, str]:
    pair = run_keys().channels
    return f"{pair.kid}:{pair.public}", f"{pair.kid}:{pair.private}"


def _seal(plain: ChannelConfigured, public: str) -> ChannelConfigured:
    sealer = sealer_from(public)
    assert sealer is not None
    return seal_channel(plain, sealer)


@pytest.mark.parametrize(
    ("kind", "target", "secret", "hidden"),
    [
        ("slack", SLACK_URL, None, ["verysecretpart", "/services/"]),
        ("webhook", HOOK_URL, SECRET, ["tok-123456", SECRET]),
    ],
)
def test_secret_fields_are_sealed_masked_and_open_again(
    keys: tuple[str, str], kind: ChannelKind, target: str, secret: str | None, hidden: list[str]
) -> None:
    plain = channel(kind, target, secret=secret)
    sealed = _seal(plain, keys[0])
    text = sealed.model_dump_json()
    assert not [part for part in hidden if part in text]
    assert sealed.target_masked is not None and sealed.target_masked.endswith(target[-4:])
    assert open_channel(sealed, opener_from(keys[1])) == plain.model_copy(
        update={"target_masked": sealed.target_masked}
    )


def test_recipients_of_sms_and_email_are_not_secret_fields(keys: tuple[str, str]) -> None:
    plain = channel("email", "ops@example.com")
    assert _seal(plain, keys[0]).target == "ops@example.com"
    assert sealed_kids(plain) == set()


def test_a_sealed_field_copied_into_another_channel_does_not_open(keys: tuple[str, str]) -> None:
    mine = _seal(channel("webhook", HOOK_URL, channel_id="A", secret=SECRET), keys[0])
    theirs = channel("webhook", HOOK_URL, channel_id="B").model_copy(update={"secret": mine.secret})
    with pytest.raises(SealingError):
        open_channel(theirs, opener_from(keys[1]))


def test_a_previous_secret_moves_sealed_and_still_opens(keys: tuple[str, str]) -> None:
    sealed = _seal(channel("webhook", HOOK_URL, secret=SECRET), keys[0])
    rotated = sealed.model_copy(
        update={"secret": "new-secret-0123456789", "previous_secret": sealed.secret}
    )
    resealed = _seal(rotated, keys[0])
    opened = open_channel(resealed, opener_from(keys[1]))
    assert (opened.secret, opened.previous_secret) == ("new-secret-0123456789", SECRET)
    assert sealed_kids(resealed) == {"test-c1"}


def test_records_from_before_sealing_still_open_and_report_no_kid(keys: tuple[str, str]) -> None:
    legacy = channel("slack", SLACK_URL)
    assert open_channel(legacy, opener_from(keys[1])) == legacy
    assert sealed_kids(legacy) == {None}
