"""What the notifier does with each record, apart from Faust: tables are mappings and
publishing is a callable, so the order of effects (the exactly-once argument) reads in one place.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from pulsecheck.channels.base import AlertContext, Channel, DeliveryResult
from pulsecheck.channels.recipients import RecipientDigest
from pulsecheck.notifier.configuration import ConfigurationReader
from pulsecheck.notifier.decide import Decision, advance_time, decide, has_timed_work, retire
from pulsecheck.notifier.delivery import RetryPolicy, attempt_event, deliver_with_retries
from pulsecheck.notifier.metrics import NotifierMetrics
from pulsecheck.notifier.notices import Notice
from pulsecheck.notifier.regions import judge_silence, stale_regions, watched_kinds
from pulsecheck.notifier.routing import DeliveryRequest, delivery_requests
from pulsecheck.notifier.rules import MonitorRules
from pulsecheck.notifier.state import MonitorState
from pulsecheck.notifier.steady import decide_fast, is_steady
from pulsecheck.shared.events import (
    CheckCompleted,
    MonitorRegistered,
    MonitorRemoved,
    MonitorUpdated,
    NotificationFailed,
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
    configuration: ConfigurationReader
    delivered: MutableMapping[str, str]
    senders: Mapping[ChannelKind, Channel]
    policy: RetryPolicy
    publish: Publish
    clock: Clock
    metrics: NotifierMetrics
    recipient_digest: RecipientDigest
    _in_flight: set[str] = field(default_factory=set)
    # one lane per (monitor, channel, recipient digest): notices arrive in the order they happened
    _lanes: dict[str, asyncio.Lock] = field(default_factory=dict)
    _lane_users: dict[str, int] = field(default_factory=dict)
    # watermarks newer than the stored state's: a steady result moves only its watermark, which
    # is not worth a changelog write, yet says its region is reporting (regions.py)
    _seen: dict[str, dict[str, datetime]] = field(default_factory=dict)
    # how far behind the results read lag their production: time passing is judged at
    # `clock() - _behind`, so a notifier catching up on a backlog finds no region silent
    _behind: timedelta = timedelta(0)
    _started: datetime | None = None
    # monitors removed here (the monitors agent): a decision racing the removal is not stored
    _retired: set[str] = field(default_factory=set)

    def settled_at_once(self, result: CheckCompleted, produced_at: float) -> bool:
        """The common case, without a coroutine: True when `result` is steady (it changes
        nothing but the watermark, see steady.py) and so needs nothing more; else `on_result`."""
        self._observe(produced_at)
        rules = self.configuration.view.rules.get(result.monitor_id)
        if rules is None or not self.configuration.covered_until:
            return False
        state = self._current(result.monitor_id)
        if state is None or not is_steady(state, result, rules):
            return False
        mark = f"{result.kind}:{result.region}"
        self._seen[result.monitor_id] = {**state.watermarks, mark: result.scheduled_for}
        self.metrics.results.inc()
        return True

    async def on_result(self, result: CheckCompleted, produced_at: float) -> None:
        """`produced_at`: when the result was written to Kafka (epoch seconds)."""
        self._observe(produced_at)
        self.metrics.results.inc()
        monitor_id = result.monitor_id
        state = self._current(monitor_id) or MonitorState(monitor_id=monitor_id)
        view = self.configuration.view
        rules = view.rules.get(monitor_id)
        if rules is None or not self.configuration.covered_until:
            # never judge by defaults a monitor whose spec was published before its result
            await self.configuration.covering(produced_at)
            rules = view.rules.get(monitor_id)
        if self._removed(monitor_id):
            self.metrics.results_dropped.inc()
            return
        rules = rules or self._default_rules(result)
        decision = decide_fast(state, result, rules, self.clock())
        if (decision.recorded or decision.deliver) and await self._covered(produced_at):
            # the configuration moved on while this result waited: judge it by the latest rules
            if self._removed(monitor_id):
                self.metrics.results_dropped.inc()
                return
            rules = view.rules.get(monitor_id) or self._default_rules(result)
            decision = decide(state, result, rules, self.clock())
        await self._announce(monitor_id, decision, rules, result.finished_at)
        self._store(monitor_id, state, decision)

    def _removed(self, monitor_id: str) -> bool:
        return monitor_id in self._retired or monitor_id in self.configuration.view.removed

    def _observe(self, produced_at: float) -> None:
        now = self.clock()
        self._started = self._started or now
        self._behind = max(timedelta(0), now - datetime.fromtimestamp(produced_at, now.tzinfo))

    def _current(self, monitor_id: str) -> MonitorState | None:
        """The stored state with the watermarks seen since it was stored."""
        state = self.states.get(monitor_id)
        seen = self._seen.get(monitor_id)
        if state is None or seen is None:
            return state
        return state.model_copy(update={"watermarks": seen})

    def _store(self, monitor_id: str, before: MonitorState, decision: Decision) -> None:
        if self._removed(monitor_id):
            return
        self._signal_silence(monitor_id, before, decision.state)
        if decision.changed:
            self.states[monitor_id] = decision.state
            self._seen.pop(monitor_id, None)
        else:
            self._seen[monitor_id] = dict(decision.state.watermarks)

    def _signal_silence(self, monitor_id: str, before: MonitorState, after: MonitorState) -> None:
        for region in sorted(set(after.silent) - set(before.silent)):
            self.metrics.regions_silenced.labels(region).inc()
            log.warning("region silent", extra={"monitor_id": monitor_id, "region": region})
        for region in sorted(set(before.silent) - set(after.silent)):
            log.info("region reporting again", extra={"monitor_id": monitor_id, "region": region})

    def _observed_until(self) -> datetime:
        return self.clock() - self._behind

    async def on_tick(self, monitor_id: str, produced_at: float) -> None:
        """Time passed: reminders that fell due, notices held by quiet hours or maintenance."""
        state = self._current(monitor_id)
        if state is None:
            return
        await self.configuration.covering(produced_at)
        known = self.configuration.view.rules.get(monitor_id)
        rules = known or MonitorRules.defaults_for(monitor_id, state.account_id, monitor_id)
        now = self.clock()
        silenced, notices = self._silence(state, known)
        decision = advance_time(silenced, rules, now, notices)
        changed = decision.changed or silenced != state
        decision = Decision(decision.state, decision.recorded, decision.deliver, changed)
        await self._announce(monitor_id, decision, rules, now)
        self._store(monitor_id, state, decision)

    def due_ticks(self) -> list[str]:
        """Monitors owned here whose reminders or held notices are due, or whose regions fell
        silent (pure over the tables)."""
        view = self.configuration.view
        now = self.clock()
        at = self._observed_until()
        due = []
        for monitor_id in list(self.states):
            stored = self.states.get(monitor_id)
            rules = view.rules.get(monitor_id)
            if stored is None or self._quiet(monitor_id, stored, rules, at):
                continue
            state = self._current(monitor_id)
            if state is not None and (
                has_timed_work(state, rules, now) or self._silence(state, rules)[0] != state
            ):
                due.append(monitor_id)
        return due

    def _quiet(
        self, monitor_id: str, state: MonitorState, rules: MonitorRules | None, at: datetime
    ) -> bool:
        """Nothing held, open or silent, and every region fresh at `at`: time passing changes
        nothing. Most monitors, told apart without copying their state (the timer scans all of
        them: 30,000 took ~0.5 s of the event loop per tick); test_ticks.py proves it exact."""
        if state.held or state.incidents or state.silent:
            return False
        if rules is None:
            return True  # default rules hold nothing, remind of nothing, judge no silence
        watermarks = self._seen.get(monitor_id, state.watermarks)
        return not stale_regions(watermarks, rules, watched_kinds(rules), at)

    def _silence(
        self, state: MonitorState, rules: MonitorRules | None
    ) -> tuple[MonitorState, list[Notice]]:
        """Silence judged as time passes; a monitor without a spec has no interval to judge by."""
        if rules is None:
            return state, []
        return judge_silence(
            state,
            rules,
            self._observed_until(),
            trigger_request_id="",
            watched_since=self._started or self.clock(),
        )

    async def _covered(self, produced_at: float) -> bool:
        """Waits for the configuration to cover `produced_at`; True if it had to wait."""
        if produced_at <= self.configuration.covered_until:
            return False
        await self.configuration.covering(produced_at)
        return True

    def _default_rules(self, result: CheckCompleted) -> MonitorRules:
        return MonitorRules.defaults_for(result.monitor_id, result.account_id, result.target)

    async def _announce(
        self, monitor_id: str, decision: Decision, rules: MonitorRules, at: datetime
    ) -> None:
        """Alerts and delivery requests are durable before the state that says they happened:
        a crash in between replays the input, and the same ids and keys come out again."""
        for notice in decision.recorded:
            envelope = new_envelope(
                notice.alert,
                source=self.source,
                subject=monitor_id,
                event_id=notice.event_id,
                time=at,
            )
            await self.publish(self.topics.alerts, monitor_id, encode(envelope), True)
            self.metrics.alerts.labels(envelope.type).inc()
        for notice in decision.deliver:
            channels = self.configuration.view.channels.values()
            requests = delivery_requests(notice, rules, channels, self.recipient_digest)
            if not requests:
                log.warning("no channel wants this notice", extra={"event_id": notice.event_id})
            for request in requests:
                payload = request.model_dump_json().encode()
                # keyed by monitor: one partition keeps a monitor's notices in order
                await self.publish(self.deliveries_topic, monitor_id, payload, True)

    async def on_monitor(self, payload: Contract) -> None:
        self.metrics.configuration.inc()
        if isinstance(payload, MonitorRemoved):
            await self._retire(payload.monitor_id)
        elif isinstance(payload, MonitorRegistered | MonitorUpdated):
            # an id registered again (a replay of its history) is live once more
            self._retired.discard(payload.monitor_id)

    async def on_monitor_tombstone(self, monitor_id: str) -> None:
        await self._retire(monitor_id)

    async def _retire(self, monitor_id: str) -> None:
        """Open incidents end as "monitor removed" on the alerts topic, paging nobody; the
        state goes. The history (results, incidents) stays in the read model."""
        self._retired.add(monitor_id)
        self._seen.pop(monitor_id, None)
        state = self.states.get(monitor_id)
        if state is None:
            return
        decision = retire(state, self.clock())
        rules = MonitorRules.defaults_for(monitor_id, state.account_id, monitor_id)
        await self._announce(monitor_id, decision, rules, self.clock())
        self.states.pop(monitor_id, None)

    def on_channel(self, payload: Contract) -> None:
        self.metrics.configuration.inc()

    async def on_delivery(self, request: DeliveryRequest, produced_at: float) -> None:
        key = request.delivery_key
        if key in self.delivered or key in self._in_flight:
            self.metrics.duplicates_skipped.inc()
            log.info("delivery already made, skipped", extra={"delivery_key": key})
            return
        channel = self.configuration.view.channels.get(request.channel_id)
        if channel is None and await self._covered(produced_at):
            channel = self.configuration.view.channels.get(request.channel_id)
        if channel is None or not channel.enabled:
            await self._undeliverable(request, "channel removed or disabled before delivery")
            return
        sender = self.senders.get(channel.kind)
        if sender is None:
            await self._undeliverable(request, f"no channel of kind {channel.kind!r} here")
            return
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

        lane = "|".join((request.monitor_id, request.channel_id, request.recipient_digest))
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

    async def _undeliverable(self, request: DeliveryRequest, reason: str) -> None:
        """Said out loud, never dropped silently: a final NotificationFailed, then the key."""
        key = request.delivery_key
        log.warning(reason, extra={"delivery_key": key})
        if request.channel_kind is not None:
            event = NotificationFailed(
                delivery_key=key,
                monitor_id=request.monitor_id,
                account_id=request.account_id,
                channel_id=request.channel_id,
                channel_kind=request.channel_kind,
                trigger_event_id=request.notice.event_id,
                trigger_type=request.notice.event_type,
                attempt=0,
                failed_at=self.clock(),
                error=reason,
                retryable=False,
                final=True,
            )
            envelope = new_envelope(
                event,
                source=self.source,
                subject=request.monitor_id,
                event_id=deterministic_event_id("notification", key, "undeliverable"),
            )
            await self.publish(self.topics.alerts, request.monitor_id, encode(envelope), True)
            self.metrics.deliveries.labels(request.channel_kind, "failed").inc()
        self.delivered[key] = "undeliverable"
