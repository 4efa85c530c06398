"""A webhook channel's target is an http(s) URL, maybe with a signing secret; shown masked."""

from __future__ import annotations

from pulsecheck.channels.config import ChannelConfig
from pulsecheck.channels.target_rules import WebUrl


class WebhookConfig(ChannelConfig):
    target: WebUrl

    def outbound_url(self) -> str:
        return self.target
