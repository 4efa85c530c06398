"""Events of `pulsecheck.channels`: where an account's alerts go, compacted by channel id."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from pulsecheck.shared.events.common import ChannelKind, Contract


class ChannelConfigured(Contract):
    EVENT_TYPE: ClassVar[str] = "io.pulsecheck.channel.configured.v1"

    channel_id: str
    account_id: str
    kind: ChannelKind
    name: str
    # phone number, email address, Slack webhook URL or webhook URL
    target: str
    # webhook signing secret; topic ACLs must restrict who reads this topic
    secret: str | None = None
    enabled: bool = True
    # which alert types this channel wants; empty means all
    event_types: list[str] = Field(default_factory=list)


class ChannelRemoved(Contract):
    EVENT_TYPE: ClassVar[str] = "io.pulsecheck.channel.removed.v1"

    channel_id: str
    account_id: str
