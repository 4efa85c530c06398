"""Which channels hear about a notice, and the delivery requests that fan it out (pure)."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict

from pulsecheck.notifier.notices import Notice
from pulsecheck.notifier.rules import MonitorRules
from pulsecheck.shared.events import ChannelConfigured
from pulsecheck.shared.events.common import ChannelKind


class DeliveryRequest(BaseModel):
    """One notice for one channel and recipient: the unit that is delivered at most once."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    delivery_key: str
    channel_id: str
    # None in requests written before the kind was carried
    channel_kind: ChannelKind | None = None
    recipient: str
    monitor_id: str
    account_id: str
    monitor_name: str
    monitor_url: str
    notice: Notice


def wants(channel: ChannelConfigured, notice: Notice) -> bool:
    """A channel's event filter: empty means all; entries match the type or its short name."""
    if not channel.event_types:
        return True
    short = notice.event_type.removeprefix("io.pulsecheck.").rsplit(".v", 1)[0]
    return notice.event_type in channel.event_types or short in channel.event_types


def channels_for(
    notice: Notice, rules: MonitorRules, channels: Iterable[ChannelConfigured]
) -> list[ChannelConfigured]:
    chosen = set(rules.alert.channel_ids)
    return sorted(
        (
            channel
            for channel in channels
            if channel.enabled
            and channel.account_id == rules.account_id
            and (not chosen or channel.channel_id in chosen)
            and wants(channel, notice)
        ),
        key=lambda channel: channel.channel_id,
    )


def delivery_requests(
    notice: Notice, rules: MonitorRules, channels: Iterable[ChannelConfigured]
) -> list[DeliveryRequest]:
    return [
        DeliveryRequest(
            delivery_key=notice.delivery_key(channel.channel_id, channel.target),
            channel_id=channel.channel_id,
            channel_kind=channel.kind,
            recipient=channel.target,
            monitor_id=rules.monitor_id,
            account_id=rules.account_id,
            monitor_name=rules.name,
            monitor_url=rules.url,
            notice=notice,
        )
        for channel in channels_for(notice, rules, channels)
    ]
