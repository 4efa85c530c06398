"""Which channels get a notice, and the delivery keys of the fan-out."""

from __future__ import annotations

from pulsecheck.notifier.routing import channels_for, delivery_requests
from pulsecheck.notifier.rules import MonitorRules
from pulsecheck.shared.events import AlertRules
from pulsecheck.testing.alerts import channel, expiring_notice, opened_notice

RULES = MonitorRules(monitor_id="mon-1", account_id="acct-1", name="Shop", url="https://s.test/")
CHANNELS = [
    channel("sms", "+1555", channel_id="a-sms"),
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
    rules = RULES.model_copy(update={"alert": AlertRules(channel_ids=["b-mail"])})
    assert ids(channels_for(expiring_notice(), rules, CHANNELS)) == ["b-mail"]


def test_delivery_keys_name_subject_transition_channel_and_recipient() -> None:
    requests = delivery_requests(opened_notice(), RULES, CHANNELS)
    assert [r.delivery_key for r in requests] == ["inc-1|opened|a-sms|+1555"]
    again = delivery_requests(opened_notice(), RULES, CHANNELS)
    assert again == requests
