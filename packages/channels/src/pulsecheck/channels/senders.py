"""Each channel kind's sender, for the notifier only: importing this loads the provider SDKs
(boto3 for email, twilio for SMS), which the registry of configurations (`registry`) never
does. The kinds are REGISTRY's: a test holds the two maps to the same keys."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pydantic_settings import BaseSettings

from pulsecheck.channels.base import Channel, ChannelTools
from pulsecheck.channels.email.channel import build_email
from pulsecheck.channels.email.settings import SesSettings
from pulsecheck.channels.slack.channel import build_slack
from pulsecheck.channels.sms.channel import build_sms
from pulsecheck.channels.sms.settings import TwilioSettings
from pulsecheck.channels.webhook.channel import build_webhook


@dataclass(frozen=True)
class SenderSpec:
    build: Callable[[ChannelTools], Channel]
    # read from PULSECHECK_* variables when the channel is built; None: it needs none
    settings: type[BaseSettings] | None


SENDERS: dict[str, SenderSpec] = {
    "sms": SenderSpec(build_sms, TwilioSettings),
    "email": SenderSpec(build_email, SesSettings),
    "slack": SenderSpec(build_slack, None),
    "webhook": SenderSpec(build_webhook, None),
}


def build_channels(tools: ChannelTools) -> dict[str, Channel]:
    return {kind: spec.build(tools) for kind, spec in SENDERS.items()}


def settings_classes() -> list[type[BaseSettings]]:
    return [spec.settings for spec in SENDERS.values() if spec.settings is not None]
