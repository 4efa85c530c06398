"""The baseline migration goes up, down and up again on a real PostgreSQL."""

from __future__ import annotations

import psycopg
import pytest

from pulsecheck.read_model.database_url import libpq_url
from pulsecheck.read_model.migrations.runner import downgrade, upgrade

pytestmark = pytest.mark.postgres

EXPECTED = {
    "accounts", "api_keys", "monitors", "monitor_status", "uptime_results", "tls_results",
    "uptime_rollups_hourly", "uptime_rollups_daily", "incidents", "notifications", "channels",
    "processed_events", "projection_positions", "alembic_version",
    "users", "memberships", "web_sessions", "invites", "status_pages", "badge_tokens",
    "uptime_region_rollups_hourly", "uptime_region_rollups_daily", "monitor_region_status",
}  # fmt: skip


def _tables(url: str) -> set[str]:
    with psycopg.connect(libpq_url(url)) as conn:
        rows = conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
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
