"""`/healthz` (the process answers), `/readyz` (Kafka and PostgreSQL answer now), `/metrics`.

Readiness asks both for real: a pooled connection runs `SELECT 1`, and a new connection to the
broker asks for the monitors topic's metadata. The producer's cached metadata answered "ok" for
as long as the broker was down.
"""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST

from pulsecheck.query_api.api.deps import ContextDep
from pulsecheck.shared.kafka.cluster import cluster_view

router = APIRouter(tags=["operations"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


async def _postgres_ok(context: ContextDep) -> bool:
    try:
        async with asyncio.timeout(2.0), context.pool.connection() as conn:
            await conn.execute("SELECT 1")
        return True
    except Exception:
        return False


async def _kafka_ok(context: ContextDep) -> bool:
    try:
        settings = context.settings
        view = await cluster_view(
            settings.kafka_bootstrap, [context.topics.monitors], security=settings.kafka_security()
        )
        return context.topics.monitors in view.partitions
    except Exception:
        return False


@router.get("/readyz")
async def readyz(context: ContextDep) -> JSONResponse:
    postgres, kafka = await asyncio.gather(_postgres_ok(context), _kafka_ok(context))
    body = {
        "postgres": "ok" if postgres else "unreachable",
        "kafka": "ok" if kafka else "unreachable",
    }
    ready = postgres and kafka
    body["status"] = "ready" if ready else "not_ready"
    return JSONResponse(body, status_code=200 if ready else 503)


@router.get("/metrics")
async def metrics(context: ContextDep) -> Response:
    return Response(context.metrics.render(), media_type=CONTENT_TYPE_LATEST)
