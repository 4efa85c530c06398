"""The notifier's decision: a pure function of (state, result, rules, now)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pulsecheck.notifier.certificates import apply_tls
from pulsecheck.notifier.incidents import resolve_incident
from pulsecheck.notifier.notices import Notice
from pulsecheck.notifier.regions import is_fresh, judge_silence
from pulsecheck.notifier.rules import MonitorRules, minutes, notifications_held
from pulsecheck.notifier.state import MonitorState
from pulsecheck.notifier.uptime import apply_uptime
from pulsecheck.shared.events import CheckCompleted, deterministic_event_id
from pulsecheck.shared.events.common import UPTIME_KINDS


@dataclass(frozen=True)
class Decision:
    state: MonitorState
    # alert events to record on the alerts topic, whether or not they are delivered now
    recorded: tuple[Notice, ...]
    # notices to deliver now (new ones, reminders, and held ones released)
    deliver: tuple[Notice, ...]
    # False when nothing worth writing down changed (the same result replayed, a steady monitor)
    changed: bool


def decide(
    state: MonitorState, result: CheckCompleted, rules: MonitorRules, now: datetime
) -> Decision:
    if not state.account_id:
        state = state.model_copy(update={"account_id": result.account_id})
    mark = f"{result.kind}:{result.region}"
    seen = state.watermarks.get(mark)
    if rules.paused or (seen is not None and result.scheduled_for <= seen):
        return Decision(state, (), (), changed=False)
    before = state
    if result.kind in UPTIME_KINDS and not is_fresh(
        state.watermarks, rules, result.region, UPTIME_KINDS, result.scheduled_for
    ):
        # a region back from silence starts a new run: its old failures confirm nothing now
        regions = {r: t for r, t in state.regions.items() if r != result.region}
        state = state.model_copy(update={"regions": regions})
    state = state.model_copy(
        update={"watermarks": {**state.watermarks, mark: result.scheduled_for}}
    )
    recorded: list[Notice] = []
    if result.kind in UPTIME_KINDS:
        state, notices = apply_uptime(state, result, rules)
        recorded.extend(notices)
    if result.tls is not None:
        state, notices = apply_tls(state, result, result.tls, rules)
        recorded.extend(notices)
    state, notices = judge_silence(
        state, rules, result.scheduled_for, trigger_request_id=result.request_id
    )
    recorded.extend(notices)
    decision = advance_time(state, rules, now, recorded)
    return Decision(
        decision.state,
        decision.recorded,
        decision.deliver,
        changed=not decision.state.materially_equal(before),
    )


def advance_time(
    state: MonitorState, rules: MonitorRules, now: datetime, new: list[Notice] | None = None
) -> Decision:
    """Reminders that fell due, and held notices released once quiet hours or maintenance end."""
    fresh = list(new or [])
    before = state
    if notifications_held(rules.alert, now):
        held = state.held + tuple(n for n in fresh if n not in state.held)
        state = state.model_copy(update={"held": held})
        return Decision(state, tuple(fresh), (), changed=state != before)
    state, reminders = _due_reminders(state, rules, now)
    released = _without_cancelled_pairs(state.held)
    if state.held:
        state = state.model_copy(update={"held": ()})
    return Decision(
        state, tuple(fresh), tuple(released + fresh + reminders), changed=state != before
    )


def has_timed_work(state: MonitorState, rules: MonitorRules | None, now: datetime) -> bool:
    """Whether `advance_time` would now release held notices or send a reminder."""
    if rules is None:
        # no spec (any more): default rules hold nothing back and send no reminders
        return bool(state.held)
    if notifications_held(rules.alert, now):
        return False
    if state.held:
        return True
    every = minutes(rules.alert.reminder_minutes)
    return every is not None and any(
        now - incident.last_notified_at >= every for incident in state.incidents.values()
    )


def retire(state: MonitorState, at: datetime) -> Decision:
    """The monitor was removed: its open incidents end as "monitor removed", recorded for the
    history and delivered to nobody (nothing happened to the site); held notices are dropped."""
    recorded: list[Notice] = []
    for kind in sorted(state.incidents):
        state, resolved = resolve_incident(
            state, kind, resolved_at=at, trigger_request_id=None, reason="monitor removed"
        )
        recorded.extend([resolved] if resolved else [])
    return Decision(state.model_copy(update={"held": ()}), tuple(recorded), (), changed=True)


def _due_reminders(
    state: MonitorState, rules: MonitorRules, now: datetime
) -> tuple[MonitorState, list[Notice]]:
    every = minutes(rules.alert.reminder_minutes)
    if every is None or not state.incidents:
        return state, []
    incidents = dict(state.incidents)
    reminders: list[Notice] = []
    for kind, incident in state.incidents.items():
        if now - incident.last_notified_at < every:
            continue
        count = incident.reminders_sent + 1
        reminders.append(
            Notice(
                event_id=deterministic_event_id(
                    "incident-reminder", incident.incident_id, str(count)
                ),
                subject_key=incident.incident_id,
                transition=f"reminder-{count}",
                alert=incident.alert,
            )
        )
        incidents[kind] = incident.model_copy(
            update={"reminders_sent": count, "last_notified_at": now}
        )
    return state.model_copy(update={"incidents": incidents}), reminders


def _without_cancelled_pairs(held: tuple[Notice, ...]) -> list[Notice]:
    """An incident that opened and resolved while held is dropped: it is history, not news."""
    resolved = {n.subject_key for n in held if n.transition == "resolved"}
    opened = {n.subject_key for n in held if n.transition == "opened"}
    both = resolved & opened
    return [n for n in held if n.subject_key not in both]
