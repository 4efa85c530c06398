"""`POST /websites/{id}/check-ssl` and `/check-now`: ask the probers for a check right away."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from fastapi import APIRouter

from pulsecheck.query_api.api.context import AppContext
from pulsecheck.query_api.api.deps import ContextDep, KeyDep, PoolDep
from pulsecheck.query_api.api.errors import ApiError, not_found
from pulsecheck.query_api.api.on_demand_limits import admit_or_refuse, on_demand_quotas
from pulsecheck.query_api.api.publishing import publish
from pulsecheck.query_api.api.schemas.monitors import CheckAccepted
from pulsecheck.read_model.storage.monitors import get_monitor
from pulsecheck.shared.events import CheckRequested, MonitorSpec, new_envelope, request_id_for
from pulsecheck.shared.events.common import PUSHED_KINDS, UPTIME_KINDS, CheckKind
from pulsecheck.shared.events.targets import kind_problem

router = APIRouter(prefix="/websites", tags=["checks"])
_LIMITED: dict[int | str, dict[str, Any]] = {
    429: {"description": "too many on-demand checks: wait `Retry-After` seconds"}
}


async def _request_check(context: AppContext, spec: MonitorSpec, kind: CheckKind) -> CheckAccepted:
    now = context.clock()
    request = CheckRequested(
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


async def _spec(context: AppContext, account: uuid.UUID, website_id: uuid.UUID) -> MonitorSpec:
    async with context.pool.connection() as conn:
        row = await get_monitor(conn, account, website_id)
    if row is None:
        raise not_found("website")
    return MonitorSpec.model_validate(row["spec"])


@router.post(
    "/{website_id}/check-ssl", status_code=202, response_model=CheckAccepted, responses=_LIMITED
)
async def check_ssl_now(
    website_id: uuid.UUID, key: KeyDep, context: ContextDep, pool: PoolDep
) -> CheckAccepted:
    admit_or_refuse(context, on_demand_quotas(context, key))
    spec = await _spec(context, key.account_id, website_id)
    if kind_problem("tls", spec.url) is not None:
        raise ApiError(409, "not_https", "a TLS check needs an https, tls:// or STARTTLS URL")
    return await _request_check(context, spec, "tls")


@router.post(
    "/{website_id}/check-now", status_code=202, response_model=CheckAccepted, responses=_LIMITED
)
async def check_now(
    website_id: uuid.UUID, key: KeyDep, context: ContextDep, pool: PoolDep
) -> CheckAccepted:
    admit_or_refuse(context, on_demand_quotas(context, key))
    spec = await _spec(context, key.account_id, website_id)
    uptime = [k for k in spec.check_kinds if k in UPTIME_KINDS and k not in PUSHED_KINDS]
    if not uptime:
        raise ApiError(409, "no_uptime_check", "this monitor has no check to run on demand")
    return await _request_check(context, spec, "http" if "http" in uptime else uptime[0])
