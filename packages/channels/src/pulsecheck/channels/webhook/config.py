"""A webhook channel's target is an http(s) URL and its signing secret is generated; shown masked.

Both are sealed: a receiver's URL often carries its own token (`?token=…`, a path secret), and
whoever holds the signing secret can forge alerts."""

from __future__ import annotations

from pulsecheck.channels.config import ChannelConfig
from pulsecheck.channels.target_rules import WebUrl


class WebhookConfig(ChannelConfig):
    SECRET_FIELDS = ("target", "secret")
    GENERATES_SECRET = True

    target: WebUrl

    def outbound_url(self) -> str:
        return self.target
