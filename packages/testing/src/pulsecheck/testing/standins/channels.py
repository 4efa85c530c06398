"""The four alert channels' stand-ins run together (for a whole running system, as in e2e), and
what each one received, reduced to the alert's headline."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import Any

from pulsecheck.testing.standins.recording_server import RecordingServer
from pulsecheck.testing.standins.ses import (
    AWS_TEST_CREDENTIALS,
    SENDER,
    SesStandin,
    ses_standin,
)
from pulsecheck.testing.standins.slack import slack_reply, slack_texts
from pulsecheck.testing.standins.twilio import sms_bodies, twilio_standin
from pulsecheck.testing.standins.webhook import accepted_documents, webhook_receiver

WEBHOOK_SECRET = "e2e-webhook-secret"
SMS_TO = "+15557654321"
EMAIL_TO = "oncall@shop.example.test"


@dataclass(frozen=True)
class ChannelStandins:
    twilio: RecordingServer
    slack: RecordingServer
    webhook: RecordingServer
    ses: SesStandin

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
                "secret": WEBHOOK_SECRET,
            },
        ]

    def headlines(self) -> dict[str, list[str]]:
        """Every alert each channel received, as its one-line headline, in arrival order."""
        return {
            "slack": slack_texts(self.slack),
            "sms": [body["Body"].splitlines()[0] for body in sms_bodies(self.twilio)],
            "email": [str(message.subject) for message in self.ses.sent()],
            "webhook": [
                str(document["summary"])
                for document in accepted_documents(self.webhook, WEBHOOK_SECRET)
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

    def refused_webhooks(self) -> int:
        """Webhook posts whose signature did not verify (must stay 0)."""
        return len(self.webhook.received) - len(accepted_documents(self.webhook, WEBHOOK_SECRET))


@contextmanager
def channel_standins(slack_tls: ssl.SSLContext) -> Iterator[ChannelStandins]:
    """Needs AWS_TEST_CREDENTIALS in this process's environment (moto signs with them)."""
    with ExitStack() as stack:
        twilio = stack.enter_context(twilio_standin())
        slack = stack.enter_context(RecordingServer(slack_reply, tls=slack_tls))
        webhook = stack.enter_context(webhook_receiver(WEBHOOK_SECRET))
        ses = stack.enter_context(ses_standin())
        yield ChannelStandins(twilio, slack, webhook, ses)
