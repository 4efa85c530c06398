"""The migrations go up, down and up again on a real PostgreSQL, carrying result rows across."""

from __future__ import annotations

import uuid

import psycopg
import pytest

from pulsecheck.read_model.database_url import libpq_url
from pulsecheck.read_model.migrations.runner import downgrade, upgrade

pytestmark = pytest.mark.postgres

EXPECTED = {
    "accounts", "api_keys", "monitors", "monitor_status", "uptime_result_rows",
    "uptime_result_rows_default", "monitor_numbers", "result_regions", "tls_results",
    "tls_results_default", "uptime_rollups_hourly", "uptime_rollups_daily", "incidents",
    "notifications", "channels", "processed_events", "projection_positions", "alembic_version",
    "users", "memberships", "web_sessions", "invites", "status_pages", "badge_tokens",
    "uptime_region_rollups_hourly", "uptime_region_rollups_daily", "monitor_region_status",
    "suspended_monitors", "monitor_dns_answers",
}  # fmt: skip

MONITOR = uuid.UUID("00000000-0000-4000-8000-000000000001")
ACCOUNT = uuid.UUID("00000000-0000-4000-8000-0000000000aa")
# (kind, checked_at, scheduled_for, outcome, status, latency, error kind, error, final url, hops)
UPTIME = [
    ("http", "2025-03-01 23:59:59+00", "2025-03-01 23:59:58.5+00", "up", 200, 12.5, None, None,
     "https://example.com/", 0),
    ("http", "2025-03-02 00:00:01+00", "2025-03-02 00:00:00+00", "up", 200, 40.0, None, None,
     "https://example.com/next", 1),
    ("tcp", "2025-03-02 00:01:00+00", "2025-03-02 00:00:59+00", "down", None, None, "refused",
     "connection refused", None, 0),
]  # fmt: skip
UPTIME_READ = (
    "SELECT kind, checked_at::text, scheduled_for::text, outcome, is_up, status_code, latency_ms,"
    " error_kind, error, final_url, redirects FROM uptime_results ORDER BY checked_at"
)


def _tables(url: str) -> set[str]:
    with psycopg.connect(libpq_url(url)) as conn:
        rows = conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        ).fetchall()
    return {row[0] for row in rows}


def _seed_wide_tables(url: str) -> None:
    with psycopg.connect(libpq_url(url)) as conn:
        conn.execute("SET TIME ZONE 'UTC'")
        conn.execute(
            "INSERT INTO monitors VALUES (%s, %s, 'm', 'https://example.com/', '{}', false, 1,"
            " gen_random_uuid(), now(), now(), NULL)",
            (MONITOR, ACCOUNT),
        )
        for row in UPTIME:
            kind, checked, scheduled, outcome, status, latency, error_kind, error, url_, hops = row
            conn.execute(
                "INSERT INTO uptime_results (event_id, monitor_id, account_id, request_id, kind,"
                " region, checked_at, scheduled_for, outcome, is_up, status_code, latency_ms,"
                " error_kind, error, final_url, redirects) VALUES (gen_random_uuid(), %s, %s,"
                " 'r', %s, 'local', %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                (MONITOR, ACCOUNT, kind, checked, scheduled, outcome, outcome != "down", status,
                 latency, error_kind, error, url_, hops),
            )  # fmt: skip
        conn.execute(
            "INSERT INTO tls_results (event_id, monitor_id, account_id, request_id, region,"
            " checked_at, is_valid, issuer) VALUES (gen_random_uuid(), %s, %s, 'r', 'local',"
            " '2025-03-02 03:00+00', true, 'Test CA')",
            (MONITOR, ACCOUNT),
        )


def _uptime_rows(url: str) -> list[tuple[object, ...]]:
    with psycopg.connect(libpq_url(url)) as conn:
        conn.execute("SET TIME ZONE 'UTC'")
        return conn.execute(UPTIME_READ).fetchall()


def _partitions(url: str, parent: str) -> set[str]:
    with psycopg.connect(libpq_url(url)) as conn:
        rows = conn.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
            " WHERE i.inhparent = %s::regclass",
            (parent,),
        ).fetchall()
    return {row[0] for row in rows}


def test_upgrade_downgrade_upgrade(scratch_database: str) -> None:
    url = scratch_database
    upgrade(url)
    assert _tables(url) == EXPECTED
    downgrade(url)
    assert _tables(url) == {"alembic_version"}
    upgrade(url)
    assert _tables(url) == EXPECTED
    with psycopg.connect(libpq_url(url)) as conn:
        extensions = conn.execute("SELECT extname FROM pg_extension").fetchall()
    assert [row[0] for row in extensions] == ["plpgsql"]


def _region_status(url: str) -> list[tuple[object, ...]]:
    with psycopg.connect(libpq_url(url)) as conn:
        conn.execute("SET TIME ZONE 'UTC'")
        return conn.execute(
            "SELECT monitor_id, region, status, scheduled_for::text, last_checked_at::text"
            " FROM monitor_region_status ORDER BY monitor_id, region"
        ).fetchall()


def test_results_survive_partitioning_both_ways(scratch_database: str) -> None:
    """Rows of the wide tables land in day partitions and come back when going down again;
    0008 fills each region's status from the wide rows before 0009 narrows them."""
    url = scratch_database
    upgrade(url, "0007")
    _seed_wide_tables(url)
    before = _uptime_rows(url)
    upgrade(url, "0008")
    regions = _region_status(url)
    assert regions == [
        (MONITOR, "local", "down", "2025-03-02 00:00:59+00", "2025-03-02 00:01:00+00")
    ]
    upgrade(url)
    assert _partitions(url, "uptime_result_rows") == {
        "uptime_result_rows_default",
        "uptime_result_rows_p20250301",
        "uptime_result_rows_p20250302",
    }
    assert _partitions(url, "tls_results") == {"tls_results_default", "tls_results_p20250302"}
    assert _uptime_rows(url) == before
    assert _region_status(url) == regions
    downgrade(url, "0007")
    assert _uptime_rows(url) == before
    with psycopg.connect(libpq_url(url)) as conn:
        issuers = conn.execute("SELECT issuer FROM tls_results").fetchall()
    assert issuers == [("Test CA",)]
