"""Everything a request handler may use, built once by the app factory."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from pulsecheck.checks.outbound import TargetGuard
from pulsecheck.query_api.ad_hoc_tls import TlsProbe
from pulsecheck.query_api.api.command_locks import KeyedLocks
from pulsecheck.query_api.api.metrics import ApiMetrics
from pulsecheck.query_api.ping_delivery import PingDelivery
from pulsecheck.query_api.ping_tokens import TokenDirectory
from pulsecheck.query_api.rate_limit import RateLimiter
from pulsecheck.query_api.settings import QueryApiSettings
from pulsecheck.read_model.storage.connection import Pool
from pulsecheck.shared.kafka.producer import EventProducer
from pulsecheck.shared.sealing import Sealer
from pulsecheck.shared.topics import Topics

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
    tls_probe: TlsProbe
    # vets channel URLs (webhook, Slack) at creation with the notifier's rules and allow-list
    channel_guard: TargetGuard
    # seal channel secrets (to the notifier's key) and monitor header credentials (the
    # prober's): the API can seal, never open
    channel_sealer: Sealer
    header_sealer: Sealer
    # heartbeat pings: token -> monitor in memory, and a bucket per token
    ping_tokens: TokenDirectory
    ping_limiter: RateLimiter
    ping_delivery: PingDelivery
    # serialize check → publish → write per monitor, URL or channel without a database lock
    command_locks: KeyedLocks = field(default_factory=KeyedLocks)
