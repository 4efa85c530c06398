"""TLS results: an invalid certificate opens an incident at once; an expiring one is announced
once per crossed warning threshold; a renewed certificate starts the count again."""

from __future__ import annotations

from pulsecheck.notifier.incidents import open_incident, resolve_incident
from pulsecheck.notifier.notices import Notice
from pulsecheck.notifier.regions import fresh_regions
from pulsecheck.notifier.rules import MonitorRules
from pulsecheck.notifier.state import CertificateMemory, MonitorState
from pulsecheck.shared.events import (
    CertificateExpiring,
    CheckCompleted,
    TlsResult,
    deterministic_event_id,
)

TLS_KINDS = frozenset({"tls"})


def apply_tls(
    state: MonitorState, result: CheckCompleted, tls: TlsResult, rules: MonitorRules
) -> tuple[MonitorState, list[Notice]]:
    """An invalid certificate seen from enough fresh regions (`region_quorum`, else one) opens
    one incident; it resolves once fewer fresh regions see it invalid, so two regions that
    disagree hold one incident open instead of flapping. `state` holds this result's mark."""
    invalid = set(state.tls_invalid_regions) - {result.region}
    if not tls.valid:
        invalid.add(result.region)
    state = state.model_copy(update={"tls_invalid_regions": tuple(sorted(invalid))})
    reporting = fresh_regions(state, rules, TLS_KINDS, result.scheduled_for)
    seen_invalid = sorted(invalid & reporting)
    needed = min(rules.alert.region_quorum or 1, len(reporting))
    notices: list[Notice] = []
    if "tls_invalid" not in state.incidents and not tls.valid and len(seen_invalid) >= needed:
        state, notice = open_incident(
            state,
            "tls_invalid",
            opened_at=result.finished_at,
            confirmed_at=result.finished_at,
            trigger_request_id=result.request_id,
            cause=result.error,
            failing_regions=seen_invalid,
        )
        notices.append(notice)
    elif "tls_invalid" in state.incidents and len(seen_invalid) < needed:
        state, resolved = resolve_incident(
            state,
            "tls_invalid",
            resolved_at=result.finished_at,
            trigger_request_id=result.request_id,
        )
        notices.extend([resolved] if resolved else [])
    if not tls.valid:
        return state, notices
    state, expiring = _announce_expiry(state, result, tls, rules)
    return state, notices + expiring


def crossed_thresholds(days_remaining: int, warning_days: tuple[int, ...]) -> set[int]:
    return {days for days in warning_days if days_remaining <= days}


def renewed(memory: CertificateMemory, tls: TlsResult) -> bool:
    """A different certificate, or one that expires later, than the one last announced about."""
    if (
        memory.fingerprint
        and tls.fingerprint_sha256
        and memory.fingerprint != tls.fingerprint_sha256
    ):
        return True
    return (
        memory.expiry_date is not None
        and tls.expiry_date is not None
        and tls.expiry_date > memory.expiry_date
    )


def _announce_expiry(
    state: MonitorState, result: CheckCompleted, tls: TlsResult, rules: MonitorRules
) -> tuple[MonitorState, list[Notice]]:
    memory = state.certificate
    if renewed(memory, tls):
        memory = CertificateMemory()
    announced = set(memory.announced_days)
    crossed = (
        crossed_thresholds(tls.days_remaining, rules.warning_days)
        if tls.days_remaining is not None
        else set()
    )
    fresh = crossed - announced
    memory = CertificateMemory(
        fingerprint=tls.fingerprint_sha256 or memory.fingerprint,
        expiry_date=tls.expiry_date or memory.expiry_date,
        announced_days=tuple(sorted(announced | crossed, reverse=True)),
    )
    state = state.model_copy(update={"certificate": memory})
    if not fresh or tls.expiry_date is None or tls.days_remaining is None:
        return state, []
    # several thresholds crossed at once (first sight, or a missed check): announce the nearest
    threshold = min(fresh)
    certificate_key = tls.fingerprint_sha256 or tls.expiry_date.isoformat()
    subject_key = f"certificate:{state.monitor_id}:{certificate_key}:{threshold}"
    alert = CertificateExpiring(
        monitor_id=state.monitor_id,
        account_id=state.account_id,
        threshold_days=threshold,
        days_remaining=tls.days_remaining,
        expiry_date=tls.expiry_date,
        fingerprint_sha256=tls.fingerprint_sha256,
        detected_at=result.finished_at,
    )
    notice = Notice(
        event_id=deterministic_event_id("certificate-expiring", subject_key),
        subject_key=subject_key,
        transition=f"expiring-{threshold}",
        alert=alert,
    )
    return state, [notice]
