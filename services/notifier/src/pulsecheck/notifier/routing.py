"""Which channels hear about a notice, and the delivery requests that fan it out (pure)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator

from pulsecheck.channels.recipients import RecipientDigest
from pulsecheck.channels.registry import refusal
from pulsecheck.notifier.notices import Notice
from pulsecheck.notifier.rules import MonitorRules
from pulsecheck.shared.events import ChannelConfigured
from pulsecheck.shared.events.common import ChannelKind

log = logging.getLogger("pulsecheck.notifier")


class DeliveryRequest(BaseModel):
    """One notice for one channel and recipient: the unit that is delivered at most once."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    delivery_key: str
    channel_id: str
    # None in requests written before the kind was carried
    channel_kind: ChannelKind | None = None
    # the keyed hash of the recipient: this request travels on a topic, the address must not
    recipient_digest: str = ""
    monitor_id: str
    account_id: str
    monitor_name: str
    monitor_url: str
    notice: Notice

    @model_validator(mode="before")
    @classmethod
    def _drop_clear_recipient(cls, data: Any) -> Any:
        # requests written before the digest named the recipient in the clear: keep them
        # deliverable (the channel's configuration says where to send), drop the address
        if isinstance(data, dict) and "recipient" in data:
            return {k: v for k, v in data.items() if k != "recipient"}
        return data


def delivery_key(notice: Notice, channel_id: str, recipient_digest: str) -> str:
    """Identifies one delivery, so it is made at most once per channel and recipient."""
    return "|".join((notice.subject_key, notice.transition, channel_id, recipient_digest))


def usable(channel: ChannelConfigured) -> bool:
    """The registry's rules, re-checked: a record with an unknown kind or a bad target is
    skipped with the reason logged (never the target itself)."""
    reason = refusal(channel)
    if reason is not None:
        log.warning(
            "channel skipped: its configuration is refused",
            extra={"channel_id": channel.channel_id, "reason": reason},
        )
    return reason is None


def wants(channel: ChannelConfigured, notice: Notice) -> bool:
    """A channel's event filter: empty means all; entries match the type or its short name."""
    if not channel.event_types:
        return True
    short = notice.event_type.removeprefix("io.pulsecheck.").rsplit(".v", 1)[0]
    return notice.event_type in channel.event_types or short in channel.event_types


def channels_for(
    notice: Notice, rules: MonitorRules, channels: Iterable[ChannelConfigured]
) -> list[ChannelConfigured]:
    chosen = rules.alert.channels
    return sorted(
        (
            channel
            for channel in channels
            if channel.enabled
            and channel.account_id == rules.account_id
            and (chosen == "all" or channel.channel_id in chosen)
            and wants(channel, notice)
            and usable(channel)
        ),
        key=lambda channel: channel.channel_id,
    )


def delivery_requests(
    notice: Notice,
    rules: MonitorRules,
    channels: Iterable[ChannelConfigured],
    digest: RecipientDigest,
) -> list[DeliveryRequest]:
    return [
        DeliveryRequest(
            delivery_key=delivery_key(notice, channel.channel_id, digest(channel.target)),
            channel_id=channel.channel_id,
            channel_kind=channel.kind,
            recipient_digest=digest(channel.target),
            monitor_id=rules.monitor_id,
            account_id=rules.account_id,
            monitor_name=rules.name,
            monitor_url=rules.url,
            notice=notice,
        )
        for channel in channels_for(notice, rules, channels)
    ]
