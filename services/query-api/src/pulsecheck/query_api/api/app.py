"""The app factory: settings, pool and producer are built here (or handed in by a caller)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime

from fastapi import FastAPI

from pulsecheck.checks.outbound import TargetGuard
from pulsecheck.query_api.ad_hoc_tls import TlsProbe, build_tls_probe
from pulsecheck.query_api.api.context import AppContext, Clock
from pulsecheck.query_api.api.errors import install_error_handlers
from pulsecheck.query_api.api.metrics import ApiMetrics, RequestTimer
from pulsecheck.query_api.api.ping_lane import PingLane
from pulsecheck.query_api.api.routes import (
    account,
    alerts,
    api_keys,
    channels,
    check_ssl,
    health,
    logs,
    on_demand,
    ping,
    stats,
    websites,
)
from pulsecheck.query_api.api.security_headers import SecurityHeaders
from pulsecheck.query_api.ping_delivery import PingDelivery
from pulsecheck.query_api.ping_tokens import TokenDirectory
from pulsecheck.query_api.rate_limit import RateLimiter
from pulsecheck.query_api.settings import QueryApiSettings
from pulsecheck.read_model.storage.connection import Pool, build_pool
from pulsecheck.shared.kafka.producer import EventProducer, build_producer
from pulsecheck.webapp.install import install_webapp, live_feed_running


def _utc_now() -> datetime:
    return datetime.now(UTC)


def build_context(
    settings: QueryApiSettings,
    pool: Pool,
    producer: EventProducer,
    *,
    metrics: ApiMetrics | None = None,
    clock: Clock = _utc_now,
    tls_probe: TlsProbe | None = None,
    channel_guard: TargetGuard | None = None,
) -> AppContext:
    """The commands' context: the app's, or a tool's that runs them without a server
    (`pulsecheck-admin delete-account`)."""
    ready_metrics = metrics or ApiMetrics()
    return AppContext(
        settings=settings,
        topics=settings.topics(),
        pool=pool,
        producer=producer,
        metrics=ready_metrics,
        rate_limiter=RateLimiter(settings.check_ssl_per_minute),
        clock=clock,
        tls_probe=tls_probe or build_tls_probe(settings, clock),
        channel_guard=channel_guard or TargetGuard(settings.allow_list()),
        channel_sealer=settings.channel_sealer(),
        header_sealer=settings.header_sealer(),
        ping_tokens=TokenDirectory(pool, settings.ping_tokens_refresh_seconds),
        ping_limiter=RateLimiter(settings.pings_per_minute),
        ping_delivery=PingDelivery(
            producer, settings.publish_timeout_seconds, ready_metrics.ping_delivery_failures
        ),
    )


def create_app(
    settings: QueryApiSettings | None = None,
    *,
    pool: Pool | None = None,
    producer: EventProducer | None = None,
    clock: Clock = _utc_now,
    tls_probe: TlsProbe | None = None,
    channel_guard: TargetGuard | None = None,
) -> FastAPI:
    """A ready app; a pool or producer handed in is used as is and left open at shutdown.

    Whatever is not handed in is made in the lifespan, inside the server's event loop; the
    TLS probe of `GET /check-ssl` (trust store, allow-list) is built here, once.
    """
    app_settings = settings or QueryApiSettings()
    metrics = ApiMetrics()
    ready_tls_probe = tls_probe or build_tls_probe(app_settings, clock)
    ready_channel_guard = channel_guard or TargetGuard(app_settings.allow_list())
    # read here so a missing key stops the start, not the first channel's creation
    app_settings.channel_sealer(), app_settings.header_sealer()

    def context_with(ready_pool: Pool, ready_producer: EventProducer) -> AppContext:
        return build_context(
            app_settings, ready_pool, ready_producer, metrics=metrics, clock=clock,
            tls_probe=ready_tls_probe, channel_guard=ready_channel_guard,
        )  # fmt: skip

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        own_pool = pool is None
        own_producer = producer is None
        ready_pool = pool or build_pool(
            app_settings.database_url,
            app_settings.db_pool_min_size,
            app_settings.db_pool_max_size,
            timeout=app_settings.db_pool_timeout_seconds,
        )
        # each request waits for its one event: lingering to batch only adds 5 ms to every
        # ping and command (bench/heartbeats: p50 9.0 ms with linger 5, see README)
        ready_producer = producer or EventProducer(
            build_producer(
                app_settings.kafka_bootstrap,
                "pulsecheck-query-api",
                security=app_settings.kafka_security(),
                linger_ms=0,
            )
        )
        if own_pool:
            await ready_pool.open(wait=True)
        if own_producer:
            await ready_producer.start()
        if not (pool is not None and producer is not None):
            app.state.context = context_with(ready_pool, ready_producer)
        ping_tokens = app.state.context.ping_tokens
        await ping_tokens.start()
        # another replica's removal of a heartbeat reaches this one's tokens as a notice
        app.state.change_feed.add_listener(ping_tokens.on_change)
        try:
            async with live_feed_running(app):
                yield
        finally:
            await app.state.context.ping_tokens.stop()
            if own_producer:
                await ready_producer.stop()
            if own_pool:
                await ready_pool.close()

    app = FastAPI(
        title="PulseCheck API",
        version="1.0.0",
        description="Uptime and TLS-certificate monitoring. Authenticate with `Bearer <API key>`.",
        lifespan=lifespan,
        # Swagger UI and ReDoc load their code from a CDN: off; /openapi.json stays
        docs_url=None,
        redoc_url=None,
    )
    if pool is not None and producer is not None:
        app.state.context = context_with(pool, producer)
    install_error_handlers(app)
    app.add_middleware(RequestTimer, metrics=metrics)
    # added after RequestTimer, so it wraps every other middleware (but the ping lane), the
    # routers, static files and 4xx pages
    app.add_middleware(SecurityHeaders)
    # added last, so a ping skips the rest; it wraps its answers in the two above itself
    app.add_middleware(PingLane, metrics=metrics)
    routers = (health, websites, logs, stats, on_demand, check_ssl, alerts, channels, ping)
    for module in (*routers, api_keys, account):
        app.include_router(module.router)
    install_webapp(app, app_settings.database_url)
    return app
