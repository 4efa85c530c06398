"""The base of every channel's configuration model: a target, maybe a signing secret, and which
of them are sealed (encrypted to the notifier's key) on the channels topic and in PostgreSQL."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from pulsecheck.channels.target_rules import SigningSecret


class ChannelConfig(BaseModel):
    """One kind's rules for `ChannelConfigured.target` and `.secret`; subclasses narrow them."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    # the fields that are credentials: the API seals them, only the notifier opens them
    SECRET_FIELDS: ClassVar[tuple[str, ...]] = ()
    # the API generates the signing secret (shown once), never the user
    GENERATES_SECRET: ClassVar[bool] = False

    target: str
    secret: SigningSecret | None = None

    def outbound_url(self) -> str | None:
        """The user-chosen URL PulseCheck will post to (vetted by the guard), if any."""
        return None
