"""The HTTP(S) check: fresh connection per hop (httptools on an asyncio Protocol), redirects
re-vetted per hop, TLS sessions resumed per target when the server allows it."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from urllib.parse import urljoin

from pulsecheck.checks.connection import vet
from pulsecheck.checks.context import ProbeContext
from pulsecheck.checks.failures import ProbeFailure, classify_exception
from pulsecheck.checks.http_assertions import body_failure, status_accepted
from pulsecheck.checks.http_exchange import (
    HopTimings,
    HttpResponse,
    TlsDial,
    exchange,
    request_bytes,
)
from pulsecheck.checks.outcome import ProbeOutcome
from pulsecheck.checks.targets import HttpTarget, parse_http_target
from pulsecheck.shared.events import CheckError, CheckRequested, ErrorKind, UptimeResult
from pulsecheck.shared.sealing import SealingError
from pulsecheck.shared.sealing_headers import opened_headers, secret_header_names

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True)
class MonitorHeaders:
    """A monitor's own headers, opened, and the secret ones among them (lower-cased): those
    are never handed to another origin a redirect names (what browsers and httpx do)."""

    values: dict[str, str]
    secret: frozenset[str] = frozenset()


def request_headers(
    target: HttpTarget, ctx: ProbeContext, extra: MonitorHeaders, *, same_origin: bool = True
) -> list[tuple[str, str]]:
    headers = {
        "user-agent": ctx.user_agent,
        "accept": "*/*",
        "accept-encoding": "identity",
    }
    headers.update(
        {
            name.lower(): value
            for name, value in extra.values.items()
            if same_origin or name.lower() not in extra.secret
        }
    )
    # set last: the contract refuses a monitor's own Host, and old events may still carry one
    headers["host"] = target.host_header
    headers["connection"] = "close"
    return list(headers.items())


async def fetch_once(
    target: HttpTarget,
    method: str,
    request: CheckRequested,
    monitor_headers: MonitorHeaders,
    ctx: ProbeContext,
    timings: HopTimings,
    *,
    same_origin: bool,
) -> HttpResponse:
    vetted = await vet(target.host, target.port, ctx)
    tls = None
    if target.scheme == "https":
        tls = TlsDial(ctx.verify_tls, target.host, ctx.tls_sessions)
    headers = request_headers(target, ctx, monitor_headers, same_origin=same_origin)
    head = request_bytes(method, target.resource, headers)
    # a new hop starts its own timings: the result reports the final hop's
    timings.connect_ms = timings.tls_ms = timings.first_byte_ms = timings.tls_resumed = None
    return await exchange(vetted, tls, method, head, request.http.max_body_bytes, timings)


def next_method(method: str, status: int) -> str:
    # 303 always, and 301/302 after a POST, turn into GET (what browsers do)
    if status == 303 or (status in (301, 302) and method == "POST"):
        return "GET"
    return method


async def run(request: CheckRequested, ctx: ProbeContext) -> ProbeOutcome:
    options = request.http
    loop = asyncio.get_running_loop()
    started = loop.time()
    timings = HopTimings()
    redirects = 0
    method: str = options.method
    response: HttpResponse | None = None
    url = request.target
    first_origin: tuple[str, str, int] | None = None
    # once a redirect has left the monitor's origin, its credentials stay behind for good
    same_origin = True

    def measured(error: CheckError | None) -> ProbeOutcome:
        latency_ms = (loop.time() - started) * 1000
        uptime = UptimeResult(
            status_code=response.status if response else None,
            latency_ms=latency_ms,
            connect_ms=timings.connect_ms,
            tls_ms=timings.tls_ms,
            first_byte_ms=timings.first_byte_ms,
            bytes_read=len(response.body) if response else 0,
            final_url=url,
            redirects=redirects,
            tls_resumed=timings.tls_resumed,
        )
        slow = options.degraded_latency_ms is not None and latency_ms > options.degraded_latency_ms
        return ProbeOutcome(error=error, uptime=uptime, degraded=slow)

    try:
        # opened here, just before sending: only the prober holds the header keys
        monitor_headers = MonitorHeaders(
            opened_headers(options.headers, request.monitor_id, ctx.header_opener),
            secret_header_names(options),
        )
    except SealingError as exc:
        return measured(CheckError(kind=ErrorKind.INTERNAL, message=f"a monitor header: {exc}"))
    try:
        while True:
            target = parse_http_target(url)
            url = target.url
            first_origin = first_origin or target.origin
            same_origin = same_origin and target.origin == first_origin
            response = await fetch_once(
                target, method, request, monitor_headers, ctx, timings, same_origin=same_origin
            )
            location = response.header(b"location")
            if not (options.follow_redirects and response.status in REDIRECT_STATUSES and location):
                break
            if redirects >= options.max_redirects:
                raise ProbeFailure(
                    ErrorKind.REDIRECTS, f"more than {options.max_redirects} redirects"
                )
            redirects += 1
            method = next_method(method, response.status)
            url = urljoin(url, location.decode("latin-1"))
    except Exception as exc:
        return measured(classify_exception(exc))
    if not status_accepted(response.status, options.expected_status):
        return measured(
            CheckError(kind=ErrorKind.STATUS, message=f"unexpected status {response.status}")
        )
    return measured(body_failure(response.body, response.truncated, options))
