"""`GET /check-ssl?url=`: an ad-hoc certificate check, answered in the seed's shape.

A target the SSRF guard refuses (it resolves to a private, loopback, link-local or metadata
address that `target_allow_list` does not open) is a 403 `blocked_target`, not a result: the
API declined to look, so it has nothing to say about the certificate. Anything the target
itself does wrong (expired, refused, timeout, unknown name…) is a 200 with `valid: false`.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from pulsecheck.query_api.api.deps import ContextDep, KeyDep
from pulsecheck.query_api.api.errors import ApiError, invalid
from pulsecheck.query_api.api.on_demand_limits import admit_or_refuse, on_demand_quotas
from pulsecheck.query_api.api.schemas.ssl_check import SslCheckPublic
from pulsecheck.shared.events import ErrorKind
from pulsecheck.shared.monitor_urls import MAX_URL_LENGTH, UnacceptableUrl, tls_check_url

router = APIRouter(tags=["checks"])

UrlQuery = Annotated[
    str,
    Query(
        min_length=1,
        max_length=MAX_URL_LENGTH,
        description="https URL or bare host[:port] whose certificate to check",
        examples=["https://example.com"],
    ),
]

_ERRORS: dict[int | str, dict[str, Any]] = {
    403: {"description": "the target resolves to an address this API may not reach"},
    422: {"description": "the URL is not an https URL with a host"},
    429: {"description": "too many checks: wait `Retry-After` seconds"},
}


@router.get("/check-ssl", response_model=SslCheckPublic, responses=_ERRORS)
async def check_ssl(
    url: UrlQuery, request: Request, key: KeyDep, context: ContextDep
) -> SslCheckPublic:
    try:
        target = tls_check_url(url)
    except UnacceptableUrl as exc:
        raise invalid(str(exc), field="url") from exc
    # the peer uvicorn reports: X-Forwarded-For only from `forwarded_allow_ips`
    address = request.client.host if request.client else "unknown"
    per_check = context.settings.check_ssl_per_minute
    admit_or_refuse(
        context,
        [
            *on_demand_quotas(context, key),
            (f"check-ssl:key:{key.key_id}", per_check),
            (f"check-ssl:address:{address}", per_check),
        ],
    )
    checked_at = context.clock()
    outcome = await context.tls_probe(target)
    if outcome.error is not None and outcome.error.kind is ErrorKind.BLOCKED_TARGET:
        raise ApiError(403, "blocked_target", outcome.error.message, field="url")
    return SslCheckPublic.from_outcome(target, checked_at, outcome)
