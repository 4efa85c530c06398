"""Everything a request handler may use, built once by the app factory."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pulsecheck.query_api.api.metrics import ApiMetrics
from pulsecheck.query_api.rate_limit import RateLimiter
from pulsecheck.query_api.settings import QueryApiSettings
from pulsecheck.query_api.storage.connection import Pool
from pulsecheck.shared.kafka.producer import EventProducer
from pulsecheck.shared.topics import Topics

# (url, timeout seconds, allow list, now) -> the TLS check's report as a JSON-able dict
TlsProbe = Callable[[str, float, list[str], datetime], Awaitable[dict[str, Any]]]
Clock = Callable[[], datetime]


@dataclass
class AppContext:
    settings: QueryApiSettings
    topics: Topics
    pool: Pool
    producer: EventProducer
    metrics: ApiMetrics
    rate_limiter: RateLimiter
    clock: Clock
    tls_probe: TlsProbe | None
