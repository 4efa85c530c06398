"""What the notifier does with each record, apart from Faust: tables are mappings and
publishing is a callable, so the order of effects (the exactly-once argument) reads in one place.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from dataclasses import dataclass, field
from datetime import datetime

from pulsecheck.notifier.channels.base import AlertContext, Channel, DeliveryResult
from pulsecheck.notifier.decide import decide
from pulsecheck.notifier.delivery import RetryPolicy, attempt_event, deliver_with_retries
from pulsecheck.notifier.metrics import NotifierMetrics
from pulsecheck.notifier.routing import DeliveryRequest, delivery_requests
from pulsecheck.notifier.rules import MonitorRules
from pulsecheck.notifier.state import MonitorState
from pulsecheck.shared.events import (
    ChannelConfigured,
    ChannelRemoved,
    CheckCompleted,
    MonitorRegistered,
    MonitorRemoved,
    MonitorUpdated,
    deterministic_event_id,
    encode,
    new_envelope,
)
from pulsecheck.shared.events.common import ChannelKind, Contract
from pulsecheck.shared.topics import Topics

log = logging.getLogger("pulsecheck.notifier")

# publish(topic, key, value, wait): with wait, returns once the broker holds the record
Publish = Callable[[str, str, bytes, bool], Awaitable[None]]
Clock = Callable[[], datetime]


@dataclass
class Pipeline:
    topics: Topics
    deliveries_topic: str
    source: str
    dashboard_url: str
    states: MutableMapping[str, MonitorState]
    rules: MutableMapping[str, MonitorRules]
    channels: MutableMapping[str, ChannelConfigured]
    delivered: MutableMapping[str, str]
    senders: Mapping[ChannelKind, Channel]
    policy: RetryPolicy
    publish: Publish
    clock: Clock
    metrics: NotifierMetrics
    _in_flight: set[str] = field(default_factory=set)
    # one lane per (monitor, channel, recipient): its notices arrive in the order they happened
    _lanes: dict[str, asyncio.Lock] = field(default_factory=dict)
    _lane_users: dict[str, int] = field(default_factory=dict)

    async def on_result(self, result: CheckCompleted) -> None:
        self.metrics.results.inc()
        monitor_id = result.monitor_id
        rules = self.rules.get(monitor_id) or MonitorRules.defaults_for(
            monitor_id, result.account_id, result.target
        )
        state = self.states.get(monitor_id) or MonitorState(monitor_id=monitor_id)
        decision = decide(state, result, rules, self.clock())
        if decision.recorded or decision.deliver:
            # alerts and delivery requests are durable before the state that says they happened:
            # a crash in between replays the result, and the same ids and keys come out again
            for notice in decision.recorded:
                envelope = new_envelope(
                    notice.alert,
                    source=self.source,
                    subject=monitor_id,
                    event_id=notice.event_id,
                    time=result.finished_at,
                )
                await self.publish(self.topics.alerts, monitor_id, encode(envelope), True)
                self.metrics.alerts.labels(envelope.type).inc()
            for notice in decision.deliver:
                for request in delivery_requests(notice, rules, self.channels.values()):
                    payload = request.model_dump_json().encode()
                    # keyed by monitor: one partition keeps a monitor's notices in order
                    await self.publish(self.deliveries_topic, monitor_id, payload, True)
        if decision.changed:
            self.states[monitor_id] = decision.state

    def on_monitor(self, payload: Contract) -> None:
        self.metrics.configuration.inc()
        if isinstance(payload, MonitorRegistered | MonitorUpdated):
            self.rules[payload.monitor_id] = MonitorRules.from_spec(payload)
        elif isinstance(payload, MonitorRemoved):
            self.rules.pop(payload.monitor_id, None)
            self.states.pop(payload.monitor_id, None)

    def on_channel(self, payload: Contract) -> None:
        self.metrics.configuration.inc()
        if isinstance(payload, ChannelConfigured):
            self.channels[payload.channel_id] = payload
        elif isinstance(payload, ChannelRemoved):
            self.channels.pop(payload.channel_id, None)

    async def on_delivery(self, request: DeliveryRequest) -> None:
        key = request.delivery_key
        if key in self.delivered or key in self._in_flight:
            self.metrics.duplicates_skipped.inc()
            log.info("delivery already made, skipped", extra={"delivery_key": key})
            return
        channel = self.channels.get(request.channel_id)
        if channel is None or not channel.enabled:
            log.warning("channel gone before delivery", extra={"delivery_key": key})
            self.delivered[key] = "channel-removed"
            return
        sender = self.senders[channel.kind]
        context = AlertContext(
            notice=request.notice,
            monitor_name=request.monitor_name,
            monitor_url=request.monitor_url,
            page_url=f"{self.dashboard_url.rstrip('/')}/monitors/{request.monitor_id}",
            delivery_key=key,
        )
        message = sender.render(context, channel, self.clock())

        async def report(attempt: int, result: DeliveryResult, final: bool) -> None:
            event = attempt_event(request, channel, attempt, result, final, self.clock())
            envelope = new_envelope(
                event,
                source=self.source,
                subject=request.monitor_id,
                event_id=deterministic_event_id("notification", key, str(attempt)),
            )
            self.metrics.deliveries.labels(channel.kind, "sent" if result.ok else "failed").inc()
            await self.publish(self.topics.alerts, request.monitor_id, encode(envelope), False)

        lane = "|".join((request.monitor_id, request.channel_id, request.recipient))
        lock = self._lanes.setdefault(lane, asyncio.Lock())
        self._lane_users[lane] = self._lane_users.get(lane, 0) + 1
        self._in_flight.add(key)
        try:
            async with lock:
                outcome = await deliver_with_retries(sender, message, self.policy, report)
            # the window: a crash after the provider accepted and before this write is durable
            # sends once more on replay (see the README)
            self.delivered[key] = "sent" if outcome.ok else "failed"
        finally:
            self._in_flight.discard(key)
            self._lane_users[lane] -= 1
            if not self._lane_users[lane]:
                del self._lane_users[lane], self._lanes[lane]
