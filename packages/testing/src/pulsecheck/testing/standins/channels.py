"""The four alert channels' stand-ins run together (for a whole running system, as in e2e), and
what each one received, reduced to the alert's headline."""

from __future__ import annotations

import html
import json
import re
import ssl
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import Any

from pulsecheck.testing.standins.recording_server import Received, RecordingServer, Reply
from pulsecheck.testing.standins.ses import (
    AWS_TEST_CREDENTIALS,
    SENDER,
    SesStandin,
    ses_standin,
)
from pulsecheck.testing.standins.slack import slack_reply, slack_texts
from pulsecheck.testing.standins.twilio import sms_bodies, twilio_standin
from pulsecheck.testing.standins.webhook import accepted_documents, verified

# a link as it stands in a message: in plain text, a Slack mrkdwn `<url|label>`, an HTML attribute
LINK = re.compile(r"https?://[^\s<>\"'|]+")
SMS_TO = "+15557654321"
EMAIL_TO = "oncall@shop.example.test"


@dataclass
class GeneratedSecret:
    """The webhook's signing secret: the API generates it when the channel is created (a chosen
    one is refused), so the receiver learns it from the create response."""

    value: str | None = None

    def get(self) -> str:
        assert self.value is not None, "the webhook channel was not created yet"
        return self.value


@dataclass(frozen=True)
class ChannelStandins:
    twilio: RecordingServer
    slack: RecordingServer
    webhook: RecordingServer
    ses: SesStandin
    webhook_secret: GeneratedSecret = field(default_factory=GeneratedSecret)

    def notifier_env(self) -> dict[str, str]:
        """Where the notifier's SDKs send: the stand-ins instead of Twilio and SES."""
        return {
            "PULSECHECK_TWILIO_ACCOUNT_SID": "AC" + "e2" * 16,
            "PULSECHECK_TWILIO_AUTH_TOKEN": "e2e-token",
            "PULSECHECK_TWILIO_FROM_NUMBER": "+15550001111",
            "PULSECHECK_TWILIO_BASE_URL": self.twilio.url,
            "PULSECHECK_SES_FROM_ADDRESS": SENDER,
            "PULSECHECK_SES_ENDPOINT_URL": self.ses.endpoint_url,
            **AWS_TEST_CREDENTIALS,
        }

    def channel_requests(self) -> list[dict[str, Any]]:
        """The bodies of POST /channels that point one channel of each kind at its stand-in."""
        return [
            {"kind": "slack", "name": "ops slack", "target": f"{self.slack.url}/services/T/B/e2e"},
            {"kind": "sms", "name": "on-call phone", "target": SMS_TO},
            {"kind": "email", "name": "on-call mail", "target": EMAIL_TO},
            {
                "kind": "webhook",
                "name": "incident bot",
                "target": f"{self.webhook.url}/pulsecheck",
            },
        ]

    def channel_created(self, response: dict[str, Any]) -> None:
        """Takes note of a POST /channels answer: the webhook's generated secret, shown once."""
        if response["kind"] == "webhook":
            assert response["secret"], f"no generated secret in {response}"
            self.webhook_secret.value = str(response["secret"])

    def headlines(self) -> dict[str, list[str]]:
        """Every alert each channel received, as its one-line headline, in arrival order."""
        return {
            "slack": slack_texts(self.slack),
            "sms": [body["Body"].splitlines()[0] for body in sms_bodies(self.twilio)],
            "email": [str(message.subject) for message in self.ses.sent()],
            "webhook": [str(document["summary"]) for document in self._accepted_webhooks()],
        }

    def alert_links(self) -> dict[str, list[tuple[str, list[str]]]]:
        """Per channel, each alert it received (headline, its links), in arrival order; the
        links from anywhere in it: a Slack message's text and blocks, an email's text and HTML
        parts, an SMS, a webhook's document."""
        return {
            "slack": [
                (str(message.get("text")), _links_in(message))
                for message in (json.loads(r.body) for r in list(self.slack.received))
            ],
            "sms": [
                (body["Body"].splitlines()[0], _links_in(body["Body"]))
                for body in sms_bodies(self.twilio)
            ],
            "email": [
                (
                    str(request["Content"]["Simple"]["Subject"]["Data"]),
                    _links_in([parts.get("Text", ""), html.unescape(parts.get("Html", ""))]),
                )
                for request, parts in zip(self.ses.requests, self.ses.bodies(), strict=False)
            ],
            "webhook": [
                (str(document["summary"]), _links_in(document))
                for document in self._accepted_webhooks()
            ],
        }

    def failures(self) -> str:
        """What the stand-ins refused, for a failing test's message."""
        refused = [
            (request.path, request.body[:200])
            for server in (self.twilio, self.slack, self.webhook)
            for request in list(server.received)
        ]
        return f"requests received: {refused}"

    def _accepted_webhooks(self) -> list[dict[str, Any]]:
        return accepted_documents(self.webhook, self.webhook_secret.get())

    def refused_webhooks(self) -> int:
        """Webhook posts whose signature did not verify (must stay 0)."""
        return len(self.webhook.received) - len(self._accepted_webhooks())


@contextmanager
def channel_standins(slack_tls: ssl.SSLContext) -> Iterator[ChannelStandins]:
    """Needs AWS_TEST_CREDENTIALS in this process's environment (moto signs with them)."""
    with ExitStack() as stack:
        twilio = stack.enter_context(twilio_standin())
        slack = stack.enter_context(RecordingServer(slack_reply, tls=slack_tls))
        secret = GeneratedSecret()
        webhook = stack.enter_context(RecordingServer(_webhook_reply(secret)))
        ses = stack.enter_context(ses_standin())
        yield ChannelStandins(twilio, slack, webhook, ses, secret)


def _webhook_reply(secret: GeneratedSecret) -> Callable[[Received, int], Reply]:
    """As `webhook_receiver`, with the secret the API generated once it is known."""

    def reply(request: Received, index: int) -> Reply:
        if secret.value is None or not verified(request, secret.value, time.time()):
            return Reply(401, b'{"error":"bad signature"}')
        return Reply(204)

    return reply


def _links_in(content: Any) -> list[str]:
    """Every link in every string of a JSON-like value, each once, in order of appearance."""
    if isinstance(content, str):
        return list(dict.fromkeys(LINK.findall(content)))
    if isinstance(content, dict):
        content = list(content.values())
    if isinstance(content, list):
        return list(dict.fromkeys(link for part in content for link in _links_in(part)))
    return []
