"""Status page benchmark: p99 of 1,000 sequential requests to one page of 50 websites.

Run: `. .local/infra.env && uv run python bench/webapp/status_page.py [--requests 1000]`
Makes a throwaway database with 50 websites, 90 days of daily rollups each and some
incidents, serves the real app under uvicorn on 127.0.0.1 and requests `/status/<slug>`
over one keep-alive connection: as served with no change (the in-process cache answers all
but the first), as served while the account changes every 50 ms (a NOTIFY each; the cache
re-renders at most every 2 s), and with the cache off (every request reads PostgreSQL and
renders). Target: the served p99 <= 20 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import psycopg
import uvicorn

from pulsecheck.query_api.api.app import create_app
from pulsecheck.query_api.settings import QueryApiSettings
from pulsecheck.read_model.change_notices import CHANNEL, Change
from pulsecheck.read_model.database_url import libpq_url
from pulsecheck.read_model.databases import create_database, drop_database
from pulsecheck.read_model.migrations.runner import upgrade
from pulsecheck.read_model.storage.connection import connect
from pulsecheck.webapp.public.cache import PublicCache

WEBSITES = 50
DAYS = 90
SLUG = "bench-status"


async def fill(database_url: str) -> uuid.UUID:
    now = datetime.now(UTC)
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    async with await connect(database_url, autocommit=True) as conn:
        cursor = await conn.execute("INSERT INTO accounts (name) VALUES ('bench') RETURNING id")
        row = await cursor.fetchone()
        assert row is not None
        account = row["id"]
        ids = [uuid.uuid4() for _ in range(WEBSITES)]
        for n, monitor in enumerate(ids):
            await conn.execute(
                "INSERT INTO monitors (id, account_id, name, url, spec, paused, version,"
                " last_event_id, created_at, updated_at)"
                " VALUES (%s, %s, %s, %s, '{}', false, 0, %s, %s, %s)",
                (monitor, account, f"Service {n:02d}", f"https://s{n}.example/", uuid.uuid4(),
                 now, now),
            )  # fmt: skip
            status = "down" if n % 17 == 0 else "up"
            await conn.execute(
                "INSERT INTO monitor_status (monitor_id, account_id, status, last_checked_at)"
                " VALUES (%s, %s, %s, %s)",
                (monitor, account, status, now),
            )
            await conn.execute(
                "INSERT INTO uptime_rollups_daily (monitor_id, bucket, account_id, checks, up,"
                " degraded, down, latency_count, latency_sum, latency_histogram)"
                " SELECT %s, %s::timestamptz - d * interval '1 day', %s, 1440,"
                " 1440 - (d %% 7), 0, d %% 7, 1440, 72000, '{}' FROM generate_series(0, %s) d",
                (monitor, today, account, DAYS - 1),
            )
            await conn.execute(
                "INSERT INTO incidents (id, monitor_id, account_id, kind, state, opened_at)"
                " VALUES (%s, %s, %s, 'uptime', %s, %s)",
                (f"i-{monitor}", monitor, account, "open" if status == "down" else "resolved",
                 now - timedelta(days=n % 10)),
            )  # fmt: skip
        await conn.execute(
            "INSERT INTO status_pages (account_id, slug, title, monitor_ids)"
            " VALUES (%s, %s, 'Bench status', %s)",
            (account, SLUG, ids),
        )
        return uuid.UUID(str(account))


def notify_changes_until(database_url: str, account: uuid.UUID, stop: threading.Event) -> None:
    """A busy account: the projector announces one of its websites every 50 ms."""
    with psycopg.connect(libpq_url(database_url), autocommit=True) as conn:
        while not stop.wait(0.05):
            change = Change(account, uuid.uuid4())
            conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, change.payload))


def serve(settings: QueryApiSettings) -> tuple[uvicorn.Server, threading.Thread, int, object]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    app = create_app(settings)
    server = uvicorn.Server(
        uvicorn.Config(app, log_config=None, access_log=False, timeout_graceful_shutdown=5)
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline:
            raise SystemExit("uvicorn did not start")
        time.sleep(0.05)
    return server, thread, sock.getsockname()[1], app


def figures(label: str, samples: list[float]) -> None:
    ordered = sorted(samples)
    p = statistics.quantiles(ordered, n=100)
    print(
        f"{label}: {len(samples)} requests, p50 {p[49]:.2f} ms, p95 {p[94]:.2f} ms,"
        f" p99 {p[98]:.2f} ms, max {ordered[-1]:.2f} ms"
    )


def timed_requests(port: int, count: int) -> list[float]:
    samples = []
    with httpx.Client(base_url=f"http://127.0.0.1:{port}") as http:
        for _ in range(count):
            started = time.perf_counter()
            answer = http.get(f"/status/{SLUG}")
            samples.append((time.perf_counter() - started) * 1000)
            assert answer.status_code == 200 and "Service 49" in answer.text
    return samples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=1000)
    args = parser.parse_args()
    server_url = os.environ["PULSECHECK_DATABASE_URL"]
    database_url = create_database(server_url)
    try:
        upgrade(database_url)
        account = asyncio.run(fill(database_url))
        settings = QueryApiSettings(
            database_url=database_url,
            kafka_bootstrap=os.environ.get("PULSECHECK_KAFKA_BOOTSTRAP", "127.0.0.1:19092"),
        )
        server, thread, port, app = serve(settings)
        try:
            print(f"status page of {WEBSITES} websites x {DAYS} days, sequential, one connection")
            figures("as served, no change", timed_requests(port, args.requests))
            stop = threading.Event()
            notifier = threading.Thread(
                target=notify_changes_until, args=(database_url, account, stop), daemon=True
            )
            notifier.start()
            try:
                figures("as served, a change every 50 ms", timed_requests(port, args.requests))
            finally:
                stop.set()
                notifier.join(timeout=10)
            app.state.public_cache = PublicCache(ttl=0)  # type: ignore[attr-defined]
            figures(
                "cache off (PostgreSQL + render each time)", timed_requests(port, args.requests)
            )
        finally:
            server.should_exit = True
            thread.join(timeout=30)
    finally:
        drop_database(server_url, database_url)


if __name__ == "__main__":
    main()
