"""The notifier process's stage: real Kafka, every channel's stand-in, the monitor and the four
channels published, and a `NotifierProcess` to start on it.

The notifier suite's conftest imports the fixtures of `__all__`.
"""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import trustme

from pulsecheck.shared.events import AlertRules, CheckCompleted, new_envelope
from pulsecheck.shared.events.common import Contract
from pulsecheck.shared.events.monitors import MonitorRegistered, MonitorUpdated
from pulsecheck.shared.kafka.producer import EventProducer
from pulsecheck.shared.topics import Topics
from pulsecheck.testing.alerts import channel
from pulsecheck.testing.notifier_process import NotifierProcess
from pulsecheck.testing.results import uptime_result
from pulsecheck.testing.standins.recording_server import RecordingServer
from pulsecheck.testing.standins.ses import SENDER, SesStandin, ses_standin
from pulsecheck.testing.standins.slack import slack_reply
from pulsecheck.testing.standins.twilio import sms_bodies, twilio_standin
from pulsecheck.testing.standins.webhook import webhook_receiver
from pulsecheck.testing.waiting import wait_until

# the fixtures, for the conftest's import
__all__ = ["slack_ca", "stage", "standins"]

SECRET = "hook-secret"
MONITOR = "mon-e2e"


@dataclass
class Stage:
    topics: Topics
    bootstrap: str
    producer: EventProducer
    twilio: RecordingServer
    slack: RecordingServer
    webhook: RecordingServer
    ses: SesStandin
    env: dict[str, str]
    log_path: Path

    async def publish(self, topic: str, payload: Contract, key: str) -> None:
        await self.producer.publish(topic, new_envelope(payload, source="test", subject=key), key)

    async def results(self, *results: CheckCompleted) -> None:
        for result in results:
            await self.publish(self.topics.checks_completed, result, result.monitor_id)

    def notifier(self) -> NotifierProcess:
        return NotifierProcess(self.env, self.log_path)

    async def started(self) -> NotifierProcess:
        """A running notifier that has read the monitor and the four channels."""
        notifier = self.notifier().start()
        await wait_until(
            lambda: notifier.counter("pulsecheck_notifier_configuration_events_total") >= 5,
            what="monitor and channels read",
        )
        return notifier

    def sms_texts(self) -> list[str]:
        return [body["Body"] for body in sms_bodies(self.twilio)]


@pytest.fixture(scope="module")
def slack_ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def standins(
    aws_test_credentials: None, slack_ca: trustme.CA
) -> Iterator[tuple[RecordingServer, ...]]:
    # Slack URLs must be https (the notifier re-checks the channel's rules): a TLS stand-in
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    slack_ca.issue_cert("127.0.0.1").configure_cert(tls)
    slack_server = RecordingServer(slack_reply, tls=tls)
    with twilio_standin() as twilio, slack_server as slack, webhook_receiver(SECRET) as hook:
        yield twilio, slack, hook


@pytest.fixture
async def stage(
    topics: Topics,
    kafka_bootstrap: str,
    standins: tuple[RecordingServer, RecordingServer, RecordingServer],
    tmp_path: Path,
    slack_ca: trustme.CA,
) -> AsyncIterator[Stage]:
    twilio, slack, hook = standins
    ca_file = tmp_path / "slack-ca.pem"
    slack_ca.cert_pem.write_to_path(str(ca_file))
    producer = EventProducer.connect(kafka_bootstrap, "notifier-test")
    await producer.start()
    with ses_standin() as ses:
        env = {
            "PULSECHECK_KAFKA_BOOTSTRAP": kafka_bootstrap,
            "PULSECHECK_TOPIC_PREFIX": topics.prefix,
            "PULSECHECK_PARTITIONS": "3",
            "PULSECHECK_LOG_LEVEL": "INFO",
            "PULSECHECK_TARGET_ALLOW_LIST": "127.0.0.1/32",
            "PULSECHECK_TWILIO_ACCOUNT_SID": "AC" + "1" * 32,
            "PULSECHECK_TWILIO_AUTH_TOKEN": "token",
            "PULSECHECK_TWILIO_FROM_NUMBER": "+15550001111",
            "PULSECHECK_TWILIO_BASE_URL": twilio.url,
            "PULSECHECK_SES_FROM_ADDRESS": SENDER,
            "PULSECHECK_SES_ENDPOINT_URL": ses.endpoint_url,
            "PULSECHECK_RETRY_ATTEMPTS": "3",
            "PULSECHECK_RETRY_BASE_DELAY_SECONDS": "0.05",
            "PULSECHECK_ATTEMPT_TIMEOUT_SECONDS": "3",
            "PULSECHECK_RECIPIENT_HASH_KEY": "test-recipient-key",
            # the notifier trusts the Slack stand-in's test CA
            "SSL_CERT_FILE": str(ca_file),
        }
        staged = Stage(
            topics,
            kafka_bootstrap,
            producer,
            twilio,
            slack,
            hook,
            ses,
            env,
            tmp_path / "notifier.log",
        )
        for configured in (
            channel("sms", "+15557654321", channel_id="ch-sms"),
            channel("email", "ops@shop.test", channel_id="ch-email"),
            channel("slack", slack.url + "/services/T/B/x", channel_id="ch-slack"),
            channel("webhook", hook.url + "/hook", channel_id="ch-hook", secret=SECRET),
        ):
            await staged.publish(topics.channels, configured, configured.channel_id)
        spec = MonitorRegistered(
            monitor_id=MONITOR, account_id="acct-1", name="Shop", url="https://shop.example.test/"
        )
        await staged.publish(topics.monitors, spec, MONITOR)
        try:
            yield staged
        finally:
            await producer.stop()


def down_then_up(start: int = 0) -> list[CheckCompleted]:
    return [
        uptime_result(MONITOR, start + i, o)
        for i, o in enumerate(["up", "down", "down", "down", "up", "up"])
    ]


def with_rules(regions: list[str], monitor_id: str = MONITOR, **alert: object) -> MonitorUpdated:
    """The stage's monitor (or another) updated to these regions and alert rules."""
    return MonitorUpdated(
        monitor_id=monitor_id,
        account_id="acct-1",
        name="Shop",
        url="https://shop.example.test/",
        regions=regions,
        alert_rules=AlertRules.model_validate(alert),
    )
