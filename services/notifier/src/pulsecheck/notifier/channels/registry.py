"""The explicit map from channel kind to its implementation; adding a channel is one line."""

from __future__ import annotations

import httpx

from pulsecheck.checks.outbound import TargetGuard
from pulsecheck.notifier.channels.base import Channel
from pulsecheck.notifier.channels.email import EmailChannel, SesSettings, ses_client
from pulsecheck.notifier.channels.slack import SlackChannel
from pulsecheck.notifier.channels.sms import SmsChannel, TwilioSettings, twilio_client
from pulsecheck.notifier.channels.webhook import WebhookChannel
from pulsecheck.shared.events.common import ChannelKind


def build_channels(
    twilio: TwilioSettings,
    ses: SesSettings,
    http: httpx.AsyncClient,
    guard: TargetGuard,
    timeout_seconds: float,
) -> dict[ChannelKind, Channel]:
    return {
        "sms": SmsChannel(twilio_client(twilio), twilio.from_number),
        "email": EmailChannel(ses_client(ses), ses.sender),
        "slack": SlackChannel(guard, timeout_seconds),
        "webhook": WebhookChannel(http, guard),
    }
