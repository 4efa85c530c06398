"""An SMS channel's target is an E.164 phone number; shown with its last four digits only."""

from __future__ import annotations

from pulsecheck.channels.config import ChannelConfig
from pulsecheck.channels.target_rules import E164Number


class SmsConfig(ChannelConfig):
    target: E164Number


def mask_phone_number(target: str) -> str:
    """ "+14155550100" → "+•••••••0100": enough to tell numbers apart, not to dial one."""
    return "+" + "•" * max(len(target) - 5, 0) + target[-4:]
