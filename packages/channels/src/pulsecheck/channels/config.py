"""The base of every channel's configuration model: a target, maybe a signing secret."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from pulsecheck.channels.target_rules import SigningSecret


class ChannelConfig(BaseModel):
    """One kind's rules for `ChannelConfigured.target` and `.secret`; subclasses narrow them."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    target: str
    secret: SigningSecret | None = None

    def outbound_url(self) -> str | None:
        """The user-chosen URL PulseCheck will post to (vetted by the guard), if any."""
        return None
