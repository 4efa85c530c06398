"""The one outbound HTTP connector for URLs users choose (webhook and Slack deliveries).

Each request's host is resolved once by the `TargetGuard`, every address vetted, and the TCP
connection dialled to a vetted address: no second lookup, so DNS rebinding cannot swap in an
internal address between vetting and connecting. The request keeps its `Host` header and TLS
keeps the host name for SNI and certificate checks (httpcore's `sni_hostname` extension).
Redirects are never followed here: a 3xx is handed back for the caller to classify.
"""

from __future__ import annotations

import httpx

from pulsecheck.checks.failures import ProbeFailure
from pulsecheck.checks.outbound import TargetGuard
from pulsecheck.shared.target_safety import TargetRefused, TargetUnresolvable


class OutboundRefused(httpx.TransportError):
    """The guard refused the URL; the message names the reason, never a resolved address."""


def refusal_reason(exc: ProbeFailure | TargetRefused | TargetUnresolvable) -> str:
    """Why a URL may not be contacted, without the URL or the internal address it resolved to."""
    if isinstance(exc, TargetRefused):
        return f"target not allowed: its address is {exc.reason.value}"
    if isinstance(exc, TargetUnresolvable):
        return "target not allowed: its host name does not resolve"
    # a ProbeFailure's message quotes the URL, which is the secret here
    return "target not allowed: the URL cannot be parsed"


def pinned_request(request: httpx.Request, address: str) -> httpx.Request:
    """`request` dialled to `address`, with its Host header and the host name for TLS kept."""
    host = request.url.host
    return httpx.Request(
        request.method,
        request.url.copy_with(host=address),
        headers=request.headers,
        stream=request.stream,
        extensions={**request.extensions, "sni_hostname": host},
    )


class VettedTransport(httpx.AsyncBaseTransport):
    """Resolve once, vet, connect to the vetted address; tries each vetted address in turn."""

    def __init__(self, guard: TargetGuard, inner: httpx.AsyncBaseTransport | None = None) -> None:
        self._guard = guard
        # a transport reads only SSL_CERT_FILE/DIR from the environment (proxies are the
        # client's, and `vetted_client` turns those off: a proxy would look the host up again)
        self._inner = inner or httpx.AsyncHTTPTransport(trust_env=True, retries=0)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        try:
            vetted = await self._guard.vet_url(str(request.url))
        except (ProbeFailure, TargetRefused, TargetUnresolvable) as exc:
            raise OutboundRefused(refusal_reason(exc), request=request) from None
        failure: httpx.ConnectError | None = None
        for address in vetted.addresses:
            try:
                return await self._inner.handle_async_request(pinned_request(request, str(address)))
            except httpx.ConnectError as exc:
                failure = exc
        assert failure is not None  # vet_url never returns an empty address list
        raise failure

    async def aclose(self) -> None:
        await self._inner.aclose()


def vetted_client(guard: TargetGuard, timeout_seconds: float) -> httpx.AsyncClient:
    """An httpx client whose every request goes through `VettedTransport`, redirects refused."""
    return httpx.AsyncClient(
        transport=VettedTransport(guard),
        timeout=timeout_seconds,
        follow_redirects=False,
        trust_env=False,
    )
