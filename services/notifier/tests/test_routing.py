"""Which channels get a notice, and the delivery keys of the fan-out."""

from __future__ import annotations

from pulsecheck.channels.recipients import RecipientDigest
from pulsecheck.notifier.routing import channels_for, delivery_requests
from pulsecheck.notifier.rules import MonitorRules
from pulsecheck.shared.events import AlertRules
from pulsecheck.testing.alerts import channel, expiring_notice, opened_notice

RULES = MonitorRules(monitor_id="mon-1", account_id="acct-1", name="Shop", url="https://s.test/")
CHANNELS = [
    channel("sms", "+15550001234", channel_id="a-sms"),
    channel("email", "ops@s.test", channel_id="b-mail", event_types=["certificate.expiring"]),
    channel("slack", "https://hooks.test/x", channel_id="c-slack", account_id="other"),
    channel("webhook", "https://w.test/", channel_id="d-hook").model_copy(
        update={"enabled": False}
    ),
]


def ids(found: list[object]) -> list[str]:
    return [getattr(c, "channel_id") for c in found]  # noqa: B009


def test_account_enabled_and_event_filter() -> None:
    assert ids(channels_for(opened_notice(), RULES, CHANNELS)) == ["a-sms"]
    assert ids(channels_for(expiring_notice(), RULES, CHANNELS)) == ["a-sms", "b-mail"]


def test_monitor_can_name_its_channels() -> None:
    rules = RULES.model_copy(update={"alert": AlertRules(channels=["b-mail"])})
    assert ids(channels_for(expiring_notice(), rules, CHANNELS)) == ["b-mail"]


DIGEST = RecipientDigest(b"test-key")


def test_delivery_keys_name_subject_transition_channel_and_recipient_digest() -> None:
    requests = delivery_requests(opened_notice(), RULES, CHANNELS, DIGEST)
    assert [r.delivery_key for r in requests] == [f"inc-1|opened|a-sms|{DIGEST('+15550001234')}"]
    assert "+1555" not in requests[0].model_dump_json()
    again = delivery_requests(opened_notice(), RULES, CHANNELS, DIGEST)
    assert again == requests


def test_channels_the_registry_refuses_are_skipped() -> None:
    odd = [channel("pager", "x", channel_id="e-pager"), channel("sms", "+1 bad", channel_id="f")]
    assert ids(channels_for(opened_notice(), RULES, [*CHANNELS, *odd])) == ["a-sms"]
