"""One partition's heartbeats: their states, the pings waiting to be judged, and the verdicts
of a tick, kept apart from the states until the tick's transaction commits.

`judge` is pure (it reads the book and `now`, it changes nothing); `settle` applies a verdict
once it is committed. A transaction that fails leaves the book as it was, and the owner
restarts from Kafka anyway.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from aiokafka import ConsumerRecord

from pulsecheck.scheduler.heartbeat_judge import (
    HeartbeatState,
    Watched,
    judge_ping,
    judge_silence,
    next_deadline_ms,
)
from pulsecheck.shared.events import CheckCompleted, DecodeError, HeartbeatPinged, decode
from pulsecheck.shared.events.registry import HEARTBEATS_EVENTS
from pulsecheck.shared.kafka.deadletter import KEPT_KEY_BYTES, DeadLetterRecord, dead_letter_for

Lookup = Callable[[str], Watched | None]


@dataclass(frozen=True)
class Verdict:
    results: list[CheckCompleted]
    states: dict[str, HeartbeatState]
    letters: list[tuple[bytes | None, DeadLetterRecord]]
    # the offset of the first ping not judged yet (None: no ping was judged)
    pings_through: int | None
    judged: int

    def __bool__(self) -> bool:
        return bool(self.results or self.states or self.letters or self.judged)


@dataclass
class HeartbeatBook:
    consumer: str
    states: dict[str, HeartbeatState] = field(default_factory=dict)
    _pending: list[ConsumerRecord[bytes, bytes]] = field(default_factory=list)

    def restore(self, states: dict[str, HeartbeatState]) -> None:
        self.states = dict(states)
        self._pending = []

    def add(self, records: Sequence[ConsumerRecord[bytes, bytes]]) -> None:
        self._pending.extend(records)

    @property
    def pending(self) -> int:
        return len(self._pending)

    def next_deadline_ms(self, lookup: Lookup) -> int | None:
        deadlines = (
            next_deadline_ms(state, watched.options)
            for monitor_id, state in self.states.items()
            if (watched := lookup(monitor_id)) is not None
        )
        return min((d for d in deadlines if d is not None), default=None)

    def judge(
        self, lookup: Lookup, now_ms: int, limit: int, *, deadlines: bool, at: datetime
    ) -> Verdict:
        """Judge up to `limit` pending pings, then (when `deadlines`) the silences at `now_ms`."""
        batch = self._pending[:limit]
        states: dict[str, HeartbeatState] = {}
        results: list[CheckCompleted] = []
        letters: list[tuple[bytes | None, DeadLetterRecord]] = []
        for record in batch:
            decoded = decode(record.value, HEARTBEATS_EVENTS)
            if isinstance(decoded, DecodeError):
                key = record.key[:KEPT_KEY_BYTES] if record.key is not None else None
                letter = dead_letter_for(record, self.consumer, decoded.kind, decoded.reason, at)
                letters.append((key, letter))
                continue
            ping = decoded.data
            assert isinstance(ping, HeartbeatPinged)
            watched = lookup(ping.monitor_id)
            if watched is None:
                continue  # removed, paused, or no longer a heartbeat: its pings mean nothing
            before = states.get(ping.monitor_id, self.states.get(ping.monitor_id, HeartbeatState()))
            after, result = judge_ping(before, ping, watched)
            states[ping.monitor_id] = after
            results.extend([result] if result is not None else [])
        if deadlines:
            for monitor_id in set(self.states) | set(states):
                watched = lookup(monitor_id)
                if watched is None:
                    continue
                before = states.get(monitor_id, self.states.get(monitor_id, HeartbeatState()))
                after, missed = judge_silence(before, watched, now_ms)
                if missed:
                    states[monitor_id] = after
                    results.extend(missed)
        through = batch[-1].offset + 1 if batch else None
        return Verdict(results, states, letters, through, len(batch))

    def settle(self, verdict: Verdict) -> None:
        """`verdict` is committed: its pings are judged and its states are the book's."""
        del self._pending[: verdict.judged]
        self.states.update(verdict.states)
