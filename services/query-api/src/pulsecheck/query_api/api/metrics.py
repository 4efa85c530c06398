"""Prometheus metrics of the API, in a registry of the app's own (no global state)."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from fastapi import Request, Response
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest


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

    def render(self) -> bytes:
        return bytes(generate_latest(self.registry))

    async def middleware(
        self, request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        started = time.perf_counter()
        response = await call_next(request)
        route = request.scope.get("route")
        template = getattr(route, "path", "unmatched")
        self.request_seconds.labels(request.method, template, str(response.status_code)).observe(
            time.perf_counter() - started
        )
        return response
