"""Alert channels: ChannelCreate → ChannelUpdate → ChannelPublic (ChannelWithSecret, once) →
ChannelsPage, and ChannelTestAccepted for "send a test". A webhook's signing secret is
generated, never chosen: there is no field for it."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from pulsecheck.channels.registry import REGISTRY, KnownChannelKind

# the kind's own rules (pulsecheck.channels.<kind>.config) check target and secret; these
# bounds keep what reaches them small
TARGET_DESCRIPTION = ", ".join(f"{kind}: {spec.describes}" for kind, spec in REGISTRY.items())

EventTypes = Annotated[
    list[Annotated[str, Field(min_length=1, max_length=100)]], Field(max_length=20)
]


class ChannelCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: KnownChannelKind
    name: Annotated[str, Field(min_length=1, max_length=200)]
    target: Annotated[str, Field(min_length=1, max_length=2048)] = Field(
        description=TARGET_DESCRIPTION
    )
    enabled: bool = True
    event_types: EventTypes = Field(default_factory=list)


class ChannelUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    target: Annotated[str, Field(min_length=1, max_length=2048)] | None = None
    enabled: bool | None = None
    event_types: EventTypes | None = None


class ChannelPublic(BaseModel):
    id: uuid.UUID
    kind: str
    name: str
    target: str = Field(description="masked where the target itself is a secret")
    has_secret: bool
    enabled: bool
    event_types: list[str]
    created_at: datetime
    updated_at: datetime


class ChannelWithSecret(ChannelPublic):
    """The answer to a create or a rotation: the only time the signing secret is shown."""

    secret: str | None = Field(
        description="the webhook signing secret, shown in this response only; store it now"
    )
    previous_secret_valid_until: datetime | None = Field(
        default=None, description="after a rotation, until when the old secret still signs"
    )


class ChannelsPage(BaseModel):
    data: list[ChannelPublic]
    next_cursor: str | None


class ChannelTestAccepted(BaseModel):
    """A test notice is on its way to the notifier; the channel's last delivery tells how it
    went (the newest of `GET /notifications` for its channel)."""

    test_id: str
    channel_id: uuid.UUID
    requested_at: datetime
