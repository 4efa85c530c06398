"""Prometheus metrics of the API, in a registry of the app's own (no global state)."""

from __future__ import annotations

import time

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class ApiMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.request_seconds = Histogram(
            "pulsecheck_api_request_seconds",
            "Time to answer a request",
            ["method", "route", "status"],
            registry=self.registry,
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.015, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
        )
        self.events_published = Counter(
            "pulsecheck_api_events_published_total",
            "Events the API published",
            ["topic"],
            registry=self.registry,
        )

        self.ping_delivery_failures = Counter(
            "pulsecheck_api_ping_delivery_failures_total",
            "Pings the broker did not confirm (most were answered 200 before: ping_delivery.py)",
            registry=self.registry,
        )

    def render(self) -> bytes:
        return bytes(generate_latest(self.registry))


class RequestTimer:
    """Pure ASGI middleware timing every request by route template (no per-request task, as
    Starlette's BaseHTTPMiddleware would start)."""

    def __init__(self, app: ASGIApp, metrics: ApiMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_noting_status)
        finally:
            # the router wrote the matched route into the shared scope
            template = getattr(scope.get("route"), "path", "unmatched")
            self.metrics.request_seconds.labels(scope["method"], template, str(status)).observe(
                time.perf_counter() - started
            )
