"""A Slack channel's target is an incoming-webhook URL: https only, a secret, so shown masked."""

from __future__ import annotations

from pulsecheck.channels.config import ChannelConfig
from pulsecheck.channels.target_rules import HttpsUrl


class SlackConfig(ChannelConfig):
    # the URL's path is Slack's credential: whoever has it posts to the channel
    SECRET_FIELDS = ("target",)

    target: HttpsUrl

    def outbound_url(self) -> str:
        return self.target
