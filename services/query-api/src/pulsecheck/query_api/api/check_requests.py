"""On-demand check requests: the API's "check now" buttons, and the first check of a website
registered or changed, so its owner sees a result within seconds rather than one interval."""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta

from pulsecheck.query_api.api.context import AppContext
from pulsecheck.query_api.api.errors import ApiError
from pulsecheck.query_api.api.publishing import publish
from pulsecheck.query_api.api.schemas.monitors import CheckAccepted
from pulsecheck.shared.events import CheckRequested, MonitorSpec, new_envelope, request_id_for
from pulsecheck.shared.events.common import PUSHED_KINDS, UPTIME_KINDS, CheckKind
from pulsecheck.shared.events.targets import kind_problem

log = logging.getLogger(__name__)


def first_uptime_kind(spec: MonitorSpec) -> CheckKind | None:
    """The uptime kind a check-now runs; a heartbeat is pushed to us, never checked on demand."""
    uptime = [k for k in spec.check_kinds if k in UPTIME_KINDS and k not in PUSHED_KINDS]
    if not uptime:
        return None
    return "http" if "http" in uptime else uptime[0]


def on_demand_request(spec: MonitorSpec, kind: CheckKind, now: datetime) -> CheckRequested:
    """`kind` of `spec` at once, worth running for a minute (longer for a slow check)."""
    return CheckRequested(
        request_id=request_id_for(spec.monitor_id, kind, now),
        monitor_id=spec.monitor_id,
        account_id=spec.account_id,
        kind=kind,
        target=spec.url,
        http=spec.http,
        dns=spec.dns,
        timeout_seconds=spec.timeout_seconds,
        warning_days=spec.warning_days,
        scheduled_for=now,
        deadline=now + timedelta(seconds=max(60.0, 3 * spec.timeout_seconds)),
        trigger="on_demand",
        regions=list(spec.regions),
    )


async def request_check(context: AppContext, spec: MonitorSpec, kind: CheckKind) -> CheckAccepted:
    request = on_demand_request(spec, kind, context.clock())
    envelope = new_envelope(request, source="pulsecheck/query-api", subject=spec.monitor_id)
    topic = context.topics.checks_requested
    await publish(
        context.producer, topic, envelope, spec.monitor_id,
        context.settings.publish_timeout_seconds,
    )  # fmt: skip
    context.metrics.events_published.labels(topic).inc()
    return CheckAccepted(
        request_id=request.request_id,
        website_id=uuid.UUID(spec.monitor_id),
        kind=kind,
        scheduled_for=request.scheduled_for,
        deadline=request.deadline,
    )


async def request_first_checks(context: AppContext, spec: MonitorSpec) -> None:
    """Each chosen kind once, now; a paused website waits. Best effort: the website is saved
    already and its grid will check it, so a Kafka failure here is logged, not answered."""
    if spec.paused:
        return
    kinds: list[CheckKind] = []
    if (uptime := first_uptime_kind(spec)) is not None:
        kinds.append(uptime)
    if "tls" in spec.check_kinds and kind_problem("tls", spec.url) is None:
        kinds.append("tls")
    for kind in kinds:
        try:
            await request_check(context, spec, kind)
        except ApiError as exc:
            log.warning("first %s check of %s not requested: %s", kind, spec.monitor_id, exc)
