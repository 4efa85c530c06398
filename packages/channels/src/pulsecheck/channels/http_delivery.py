"""How an HTTP delivery (Slack, webhook) is classified: status and class, never the body.

A response body can come from anywhere the URL leads (an internal service, if a redirect or a
rebinding got that far), so it is neither read into errors nor stored; a 3xx is a failed
delivery, not followed.
"""

from __future__ import annotations

import httpx

from pulsecheck.channels.base import DeliveryResult, retryable_status
from pulsecheck.checks.vetted_transport import OutboundRefused


def response_result(provider: str, response: httpx.Response) -> DeliveryResult:
    status = response.status_code
    if response.is_success:
        return DeliveryResult.delivered(response.headers.get("X-Request-Id"))
    if response.is_redirect:
        return DeliveryResult.failed(
            f"{provider} {status} (redirect not followed)", retryable=False
        )
    return DeliveryResult.failed(f"{provider} {status}", retryable=retryable_status(status))


def transport_failure(provider: str, exc: httpx.HTTPError) -> DeliveryResult:
    if isinstance(exc, OutboundRefused):
        return DeliveryResult.failed(f"{provider} refused: {exc}", retryable=False)
    # the exception's text may carry the URL (a secret): its class says enough
    return DeliveryResult.failed(f"{provider} unreachable ({type(exc).__name__})", retryable=True)


async def post(
    client: httpx.AsyncClient, provider: str, url: str, body: bytes, headers: dict[str, str]
) -> DeliveryResult:
    """POST through the vetted client; the response is classified and its body never read."""
    try:
        async with client.stream("POST", url, content=body, headers=headers) as response:
            return response_result(provider, response)
    except httpx.HTTPError as exc:
        return transport_failure(provider, exc)
