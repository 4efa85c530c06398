"""Pure mapping of CheckCompleted events to staged rows of uptime results and tls_results.

An uptime row is staged in its readable shape; `result_moves` numbers and encodes it on its
way into the narrow `uptime_result_rows`.

Every text a target controls goes through `storable`: one NUL in a certificate name must not
stop the read model for every account.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pulsecheck.read_model.event_ids import result_id
from pulsecheck.read_model.storage.dns_answers import DnsAnswers
from pulsecheck.shared.events import CheckCompleted
from pulsecheck.shared.storable_text import storable
from pulsecheck.shared.storable_text import storable_or_none as text

UPTIME_COLUMNS: tuple[str, ...] = (
    "id", "monitor_id", "account_id", "kind", "region", "checked_at", "scheduled_for", "outcome",
    "status_code", "latency_ms", "error_kind", "error", "final_url", "redirects",
)  # fmt: skip

TLS_COLUMNS: tuple[str, ...] = (
    "id", "event_id", "monitor_id", "account_id", "request_id", "region", "checked_at", "is_valid",
    "valid_from", "valid_until", "days_remaining", "issuer", "issuer_organization", "subject",
    "sans", "serial", "fingerprint_sha256", "chain_earliest_expiry", "hostname_match",
    "self_signed", "tls_version", "cipher", "needs_renewal", "error_kind", "error",
)  # fmt: skip


UPTIME_TABLE = "uptime_results"  # the staging table's stem; rows land in uptime_result_rows
TLS_TABLE = "tls_results"


@dataclass(frozen=True)
class ResultRow:
    table: str  # UPTIME_TABLE or TLS_TABLE
    values: tuple[Any, ...]
    monitor_id: uuid.UUID
    checked_at: datetime
    # a dns check's answers, kept as the monitor's latest answers in its region
    dns_answers: DnsAnswers | None = None


def result_row(event_id: uuid.UUID, check: CheckCompleted) -> ResultRow:
    """The row one completed check becomes; ValueError when its ids are not UUIDs."""
    monitor_id = uuid.UUID(check.monitor_id)
    account_id = uuid.UUID(check.account_id)
    error_kind = check.error.kind.value if check.error else None
    error = storable(check.error.message) if check.error else None
    request_id, region = storable(check.request_id), storable(check.region)
    if check.kind == "tls":
        tls = check.tls
        values: tuple[Any, ...] = (
            result_id(event_id), event_id, monitor_id, account_id, request_id, region,
            check.finished_at,
            bool(tls and tls.valid),
            tls.not_before if tls else None,
            tls.expiry_date if tls else None,
            tls.days_remaining if tls else None,
            text(tls.issuer) if tls else None,
            text(tls.issuer_organization) if tls else None,
            text(tls.subject) if tls else None,
            [storable(san) for san in tls.sans] if tls else [],
            text(tls.serial) if tls else None,
            text(tls.fingerprint_sha256) if tls else None,
            tls.chain_earliest_expiry if tls else None,
            tls.hostname_match if tls else None,
            tls.self_signed if tls else None,
            text(tls.tls_version) if tls else None,
            text(tls.cipher) if tls else None,
            bool(tls and tls.needs_renewal),
            error_kind, error,
        )  # fmt: skip
        return ResultRow(TLS_TABLE, values, monitor_id, check.finished_at)
    uptime = check.uptime
    values = (
        result_id(event_id), monitor_id, account_id, check.kind, region,
        check.finished_at, check.scheduled_for, check.outcome,
        uptime.status_code if uptime else None,
        uptime.latency_ms if uptime else None,
        error_kind, error,
        text(uptime.final_url) if uptime else None,
        uptime.redirects if uptime else 0,
    )  # fmt: skip
    return ResultRow(UPTIME_TABLE, values, monitor_id, check.finished_at, dns_answers(check))


def dns_answers(check: CheckCompleted) -> DnsAnswers | None:
    """What a nameserver answered a dns check; None when none answered (a timeout) or the
    check is of another kind."""
    if check.dns is None:
        return None
    dns = check.dns
    return DnsAnswers(
        monitor_id=uuid.UUID(check.monitor_id),
        region=storable(check.region),
        account_id=uuid.UUID(check.account_id),
        record_type=storable(dns.record_type),
        nameserver=storable(dns.nameserver),
        rcode=storable(dns.rcode),
        answers=[storable(answer) for answer in dns.answers],
        ttl=dns.ttl,
        checked_at=check.finished_at,
    )
