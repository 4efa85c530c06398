"""`POST /websites/{id}/check-ssl` and `/check-now`: ask the probers for a check right away."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter

from pulsecheck.query_api.api.check_requests import first_uptime_kind, request_check
from pulsecheck.query_api.api.context import AppContext
from pulsecheck.query_api.api.deps import ContextDep, KeyDep, PoolDep
from pulsecheck.query_api.api.errors import ApiError, not_found
from pulsecheck.query_api.api.on_demand_limits import admit_or_refuse, on_demand_quotas
from pulsecheck.query_api.api.schemas.monitors import CheckAccepted
from pulsecheck.read_model.storage.monitors import get_monitor
from pulsecheck.shared.events import MonitorSpec
from pulsecheck.shared.events.targets import kind_problem

router = APIRouter(prefix="/websites", tags=["checks"])
_LIMITED: dict[int | str, dict[str, Any]] = {
    429: {"description": "too many on-demand checks: wait `Retry-After` seconds"}
}


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
    return await request_check(context, spec, "tls")


@router.post(
    "/{website_id}/check-now", status_code=202, response_model=CheckAccepted, responses=_LIMITED
)
async def check_now(
    website_id: uuid.UUID, key: KeyDep, context: ContextDep, pool: PoolDep
) -> CheckAccepted:
    admit_or_refuse(context, on_demand_quotas(context, key))
    spec = await _spec(context, key.account_id, website_id)
    kind = first_uptime_kind(spec)
    if kind is None:
        raise ApiError(409, "no_uptime_check", "this monitor has no check to run on demand")
    return await request_check(context, spec, kind)
