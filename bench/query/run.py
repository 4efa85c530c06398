"""Query benchmark: prints figures (not a test).

    uv run python -m bench.query.run [--results 10000000] [--monitors 10000] [--keep]

Loads `--monitors` monitors and `--results` CheckCompleted events THROUGH THE PROJECTOR (the
events are produced to Kafka first, then the real projector consumes the backlog into a
fresh `bench_query` database), then times the real API (uvicorn on 127.0.0.1) from an httpx
client. Topics get a `bench-query-<random>.` prefix and are deleted at the end, the database
is dropped (unless --keep). Needs `scripts/infra up` (PULSECHECK_KAFKA_BOOTSTRAP and
PULSECHECK_DATABASE_URL, defaults 127.0.0.1:19092 and the pulsecheck database on :15432).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import uuid
from datetime import UTC, datetime, timedelta

import psycopg

from bench.query.api_latency import (
    Target,
    Timing,
    concurrent,
    deep_cursors,
    one_at_a_time,
    served_api,
)
from bench.query.loading import (
    Tenant,
    create_tenants,
    fresh_database,
    prepare_topics,
    produce_results,
    publish_monitors,
    run_projector_until,
)
from bench.query.synthetic_events import BenchMonitor, History, verify_against_codec
from pulsecheck.projector.settings import ProjectorSettings
from pulsecheck.read_model.database_url import libpq_url
from pulsecheck.testing.kafka import delete_topics_under

TARGETS = {"page p99": 15.0, "stats p99": 25.0, "projector results/s": 20_000.0}


def _line(name: str, timing: Timing, target_ms: float | None = None) -> str:
    verdict = ""
    if target_ms is not None:
        verdict = "  ok" if timing.p99_ms <= target_ms else f"  MISSED (target {target_ms} ms)"
    return (
        f"{name:30} n={timing.count:6}  p50 {timing.p50_ms:6.2f} ms  p99 {timing.p99_ms:6.2f} ms"
        f"  {timing.count / timing.seconds:8.0f} req/s  statuses {timing.statuses}{verdict}"
    )


def _table_figures(database_url: str) -> list[str]:
    with psycopg.connect(libpq_url(database_url), autocommit=True) as conn:
        conn.execute("ANALYZE")
        lines = []
        for table in ("uptime_result_rows", "tls_results", "uptime_rollups_hourly",
                      "uptime_rollups_daily", "monitors"):  # fmt: skip
            # a partitioned table has no storage of its own: sum its partitions (the leaves)
            row = conn.execute(
                f"SELECT (SELECT count(*) FROM {table}),"
                " pg_size_pretty(sum(pg_total_relation_size(relid)))"
                " FROM pg_partition_tree(%s::regclass) WHERE isleaf",
                (table,),
            ).fetchone()
            assert row is not None
            lines.append(f"  {table:24} {row[0]:>10} rows  {row[1]:>8} with indexes")
        return lines


def _targets(database_url: str, tenants: list[Tenant], sample: int) -> dict[str, list[Target]]:
    rng = random.Random(3)
    owners = {m: t for t in tenants for m in t.monitors}
    chosen = rng.sample(sorted(owners), min(sample, len(owners)))
    ssl_deep = deep_cursors(database_url, "tls_results", chosen)
    uptime_deep = deep_cursors(database_url, "uptime_results", chosen)

    def page(kind: str, monitor: str, cursor: str | None = None) -> Target:
        params = {"limit": "50", **({"cursor": cursor} if cursor else {})}
        return Target(f"/websites/{monitor}/{kind}", params, owners[monitor].api_key)

    return {
        "ssl-logs first page": [page("ssl-logs", m) for m in chosen],
        "ssl-logs deep cursor": [page("ssl-logs", m, c) for m, c in ssl_deep.items()],
        "uptime-logs first page": [page("uptime-logs", m) for m in chosen],
        "uptime-logs deep cursor": [page("uptime-logs", m, c) for m, c in uptime_deep.items()],
        "stats 30d": [
            Target(f"/websites/{m}/stats", {"window": "30d"}, owners[m].api_key) for m in chosen
        ],
    }


async def _load(args: argparse.Namespace, settings: ProjectorSettings) -> list[Tenant]:
    topics = settings.topics()
    bootstrap = settings.kafka_bootstrap
    await prepare_topics(bootstrap, topics, args.partitions)
    tenants = await create_tenants(settings.database_url, args.accounts, args.monitors)
    monitors = sum(len(t.monitors) for t in tenants)
    await publish_monitors(bootstrap, topics, tenants)
    run = await run_projector_until(settings, topics.monitors, monitors, 600)
    print(f"monitors projected: {monitors} in {run.wall_seconds:.1f} s (incl. group join)")

    per_monitor = max(1, args.results // monitors)
    end = datetime.now(UTC)
    sample = [BenchMonitor(m, t.account_id) for t in tenants[:2] for m in t.monitors]
    verify_against_codec(History(sample, 20, end))
    spacing = timedelta(seconds=args.spacing)
    produced, seconds = produce_results(
        bootstrap, topics.checks_completed, tenants, per_monitor, end, spacing
    )
    print(
        f"results produced to Kafka: {produced} in {seconds:.1f} s ({produced / seconds:,.0f}/s;"
        f" {per_monitor} per monitor, one every {args.spacing:g} s, 1 in 10 a TLS check)"
    )
    run = await run_projector_until(settings, topics.checks_completed, produced, args.limit)
    rate = run.records / run.wall_seconds
    verdict = "ok" if rate >= TARGETS["projector results/s"] else "MISSED (target 20,000/s)"
    print(
        f"projector: {run.records} results in {run.wall_seconds:.1f} s = {rate:,.0f} results/s"
        f" (steady {run.records / run.steady_seconds:,.0f}/s without the group join)  {verdict}"
    )
    return tenants


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--monitors", type=int, default=10_000)
    parser.add_argument("--accounts", type=int, default=100)
    parser.add_argument("--results", type=int, default=10_000_000)
    parser.add_argument("--partitions", type=int, default=12)
    parser.add_argument(
        "--spacing", type=float, default=60.0, help="seconds between a monitor's results"
    )
    parser.add_argument("--batch-size", type=int, help="projector batch size (the setting's)")
    parser.add_argument("--limit", type=float, default=3600, help="projection time limit, s")
    parser.add_argument("--requests", type=int, default=2000, help="per sequential scenario")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20.0, help="concurrent phase length")
    parser.add_argument("--keep", action="store_true", help="keep the database and topics")
    args = parser.parse_args()

    server = os.environ.get(
        "PULSECHECK_DATABASE_URL", "postgresql://pulsecheck:pulsecheck@127.0.0.1:15432/pulsecheck"
    )
    bootstrap = os.environ.get("PULSECHECK_KAFKA_BOOTSTRAP", "127.0.0.1:19092")
    prefix = f"bench-query-{uuid.uuid4().hex[:8]}."
    database_url = fresh_database(server)
    tuning = {"projector_batch_size": args.batch_size} if args.batch_size else {}
    settings = ProjectorSettings(
        database_url=database_url, kafka_bootstrap=bootstrap, topic_prefix=prefix,
        log_level="WARNING", **tuning,
    )  # fmt: skip
    print(f"projector batch size {settings.projector_batch_size}")
    print(f"database {database_url.rsplit('/', 1)[1]}, topic prefix {prefix}")
    try:
        tenants = asyncio.run(_load(args, settings))
        print("\n".join(_table_figures(database_url)))
        scenarios = _targets(database_url, tenants, 500)
        with served_api(database_url, bootstrap, prefix) as base:
            print(f"\nAPI one request at a time ({args.requests} per scenario, random monitors)")
            for name, targets in scenarios.items():
                timing = asyncio.run(one_at_a_time(base, targets, args.requests))
                target = TARGETS["stats p99"] if name.startswith("stats") else TARGETS["page p99"]
                print(_line(name, timing, target))
            mix = [t for targets in scenarios.values() for t in targets]
            timing = asyncio.run(concurrent(base, mix, args.clients, args.seconds))
            print(f"\nAPI at {args.clients} concurrent clients, all scenarios mixed")
            print(_line("mixed", timing))
    finally:
        if not args.keep:
            asyncio.run(delete_topics_under(bootstrap, prefix))
            with psycopg.connect(libpq_url(server), autocommit=True) as admin:
                admin.execute("DROP DATABASE IF EXISTS bench_query WITH (FORCE)")


if __name__ == "__main__":
    main()
