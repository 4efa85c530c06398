"""An email channel's target is one address; shown with the local part cut to its first letter."""

from __future__ import annotations

from pulsecheck.channels.config import ChannelConfig
from pulsecheck.channels.target_rules import EmailAddress


class EmailConfig(ChannelConfig):
    target: EmailAddress


def mask_email_address(target: str) -> str:
    """ "ops@shop.test" → "o•••@shop.test"."""
    local, _, domain = target.rpartition("@")
    return f"{local[:1]}•••@{domain}"
