"""Events of `pulsecheck.channels`: where an account's alerts go, compacted by channel id."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, Final

from pydantic import Field

from pulsecheck.shared.events.common import ChannelKind, Contract


class ChannelConfigured(Contract):
    EVENT_TYPE: ClassVar[str] = "io.pulsecheck.channel.configured.v1"

    channel_id: str
    account_id: str
    kind: ChannelKind
    name: str
    # phone number, email address, Slack webhook URL or webhook URL; sealed (see
    # pulsecheck.shared.sealing) where the kind's config lists it in SECRET_FIELDS
    target: str
    # how the target is shown (the API cannot open a sealed one); None in older records
    target_masked: str | None = None
    # webhook signing secret, sealed
    secret: str | None = None
    # the secret before a rotation, sealed, still signed with until `previous_secret_until`
    previous_secret: str | None = None
    previous_secret_until: datetime | None = None
    enabled: bool = True
    # which alert types this channel wants; empty means all
    event_types: list[str] = Field(default_factory=list)


class ChannelRemoved(Contract):
    EVENT_TYPE: ClassVar[str] = "io.pulsecheck.channel.removed.v1"

    channel_id: str
    account_id: str


class ChannelTestRequested(Contract):
    """Someone asked to send a test notice through a channel. It travels on the channel-tests
    topic, keyed by channel id, never on the compacted channels topic (compaction would keep
    the request and forget the channel's configuration). It names no recipient: the notifier
    looks the channel up in the configuration it already reads."""

    EVENT_TYPE: ClassVar[str] = "io.pulsecheck.channel.test_requested.v1"

    channel_id: str
    account_id: str
    requested_at: datetime


# the monitor_id of the NotificationSent/Failed a channel test produces: a test is about no monitor
NO_MONITOR: Final = "00000000-0000-0000-0000-000000000000"
