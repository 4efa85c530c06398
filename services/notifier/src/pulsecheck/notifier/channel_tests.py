"""Test notices: someone asked, through the API, to send a test through one channel.

The test is worded by the channel's own `render` and handed to its own `send`, and reported
like any delivery (NotificationSent/Failed on the alerts topic), so the channel's "last
delivery" shows how it went. One attempt only: the person is waiting at the page, and a
failure is the answer they asked for. At most one test per channel in `TEST_INTERVAL` (the
requests are keyed by channel id, so one process sees all of a channel's), and a request
older than `TEST_PATIENCE` (a notifier catching up on a backlog) is refused, never sent late.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from pulsecheck.channels.base import AlertContext, Channel, DeliveryResult
from pulsecheck.channels.recipients import RecipientDigest
from pulsecheck.channels.registry import refusal
from pulsecheck.notifier.configuration import ConfigurationReader
from pulsecheck.notifier.delivery import RetryPolicy, attempt_event, deliver_with_retries
from pulsecheck.notifier.metrics import NotifierMetrics
from pulsecheck.notifier.notices import Notice
from pulsecheck.notifier.routing import DeliveryRequest
from pulsecheck.shared.events import (
    NO_MONITOR,
    ChannelConfigured,
    ChannelTestRequested,
    deterministic_event_id,
    encode,
    new_envelope,
)
from pulsecheck.shared.events.common import ChannelKind

log = logging.getLogger("pulsecheck.notifier")

TEST_INTERVAL = timedelta(seconds=10)
TEST_PATIENCE = timedelta(minutes=2)

# publish(topic, key, value, wait), as the pipeline's
Publish = Callable[[str, str, bytes, bool], Awaitable[None]]


def why_not_sent(
    request: ChannelTestRequested,
    channel: ChannelConfigured,
    last_test: datetime | None,
    now: datetime,
) -> str | None:
    """Why this test is not sent, or None (pure)."""
    if not channel.enabled:
        return "test not sent: the channel is disabled"
    if now - request.requested_at > TEST_PATIENCE:
        return "test not sent: asked for too long ago"
    if last_test is not None and now - last_test < TEST_INTERVAL:
        return f"test not sent: one test per {TEST_INTERVAL.seconds} s per channel"
    reason = refusal(channel)
    return None if reason is None else f"test not sent: {reason}"


@dataclass
class ChannelTester:
    alerts_topic: str
    source: str
    dashboard_url: str
    configuration: ConfigurationReader
    senders: Mapping[ChannelKind, Channel]
    policy: RetryPolicy
    publish: Publish
    clock: Callable[[], datetime]
    metrics: NotifierMetrics
    recipient_digest: RecipientDigest
    # channel id -> when its last test was sent from this process
    _last: dict[str, datetime] = field(default_factory=dict)

    async def on_request(
        self, request: ChannelTestRequested, event_id: str, produced_at: float
    ) -> None:
        # the API published the channel before this request: read at least that far
        await self.configuration.covering(produced_at)
        channel = self.configuration.view.channels.get(request.channel_id)
        if channel is None or channel.account_id != request.account_id:
            log.warning(
                "test for an unknown channel dropped", extra={"channel_id": request.channel_id}
            )
            return
        now = self.clock()
        delivery = self._delivery(request, channel, event_id)
        reason = why_not_sent(request, channel, self._last.get(channel.channel_id), now)
        sender = self.senders.get(channel.kind)
        if reason is None and sender is None:
            reason = f"test not sent: no channel of kind {channel.kind!r} here"
        if reason is not None or sender is None:
            failed = DeliveryResult.failed(reason or "", retryable=False)
            await self._report(delivery, channel, 1, failed, True)
            return
        self._last[channel.channel_id] = now
        context = AlertContext(
            notice=delivery.notice,
            monitor_name=channel.name,
            monitor_url=delivery.monitor_url,
            page_url=delivery.monitor_url,
            delivery_key=delivery.delivery_key,
        )
        message = sender.render(context, channel, now)

        async def report(attempt: int, result: DeliveryResult, final: bool) -> None:
            await self._report(delivery, channel, attempt, result, final)

        await deliver_with_retries(sender, message, replace(self.policy, max_attempts=1), report)

    def _delivery(
        self, request: ChannelTestRequested, channel: ChannelConfigured, event_id: str
    ) -> DeliveryRequest:
        """The test as a delivery request, never published: what `attempt_event` reports on."""
        digest = self.recipient_digest(channel.target)
        notice = Notice(
            event_id=event_id,
            subject_key=f"test:{channel.channel_id}",
            transition="test",
            alert=request,
        )
        return DeliveryRequest(
            delivery_key="|".join(("test", event_id, channel.channel_id, digest)),
            channel_id=channel.channel_id,
            channel_kind=channel.kind,
            recipient_digest=digest,
            monitor_id=NO_MONITOR,
            account_id=channel.account_id,
            monitor_name=channel.name,
            monitor_url=f"{self.dashboard_url.rstrip('/')}/settings/channels",
            notice=notice,
        )

    async def _report(
        self,
        delivery: DeliveryRequest,
        channel: ChannelConfigured,
        attempt: int,
        result: DeliveryResult,
        final: bool,
    ) -> None:
        event = attempt_event(delivery, channel, attempt, result, final, self.clock())
        envelope = new_envelope(
            event,
            source=self.source,
            subject=channel.channel_id,
            event_id=deterministic_event_id("notification", delivery.delivery_key, str(attempt)),
        )
        self.metrics.deliveries.labels(channel.kind, "sent" if result.ok else "failed").inc()
        # keyed by channel: a test is about no monitor
        await self.publish(self.alerts_topic, channel.channel_id, encode(envelope), True)
