"""Per-region rollups and each region's latest status, beside the overall ones.

The overall status of a website is judged when it is read, from its regions' latest results
(`read_model.region_status`), so a region that went silent stops counting without a write.
Region status is filled from the raw results still kept; region rollups count from here on
(`pulsecheck-projector --rebuild` refills them from what the topics retain).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

UPGRADE = """
CREATE TABLE uptime_region_rollups_hourly (
    monitor_id uuid NOT NULL,
    region text NOT NULL,
    bucket timestamptz NOT NULL,
    account_id uuid NOT NULL,
    checks bigint NOT NULL,
    up bigint NOT NULL,
    degraded bigint NOT NULL,
    down bigint NOT NULL,
    latency_count bigint NOT NULL,
    latency_sum double precision NOT NULL,
    latency_histogram bigint[] NOT NULL,
    PRIMARY KEY (monitor_id, region, bucket)
) WITH (fillfactor = 70);
CREATE TABLE uptime_region_rollups_daily (LIKE uptime_region_rollups_hourly INCLUDING ALL)
    WITH (fillfactor = 70);

-- newest by schedule: the order the notifier judges freshness in
CREATE TABLE monitor_region_status (
    monitor_id uuid NOT NULL,
    region text NOT NULL,
    account_id uuid NOT NULL,
    status text NOT NULL,
    scheduled_for timestamptz NOT NULL,
    last_checked_at timestamptz NOT NULL,
    last_latency_ms double precision,
    last_error text,
    PRIMARY KEY (monitor_id, region)
) WITH (fillfactor = 70);

INSERT INTO monitor_region_status (monitor_id, region, account_id, status, scheduled_for,
                                   last_checked_at, last_latency_ms, last_error)
SELECT DISTINCT ON (monitor_id, region) monitor_id, region, account_id, outcome, scheduled_for,
       checked_at, latency_ms, error
FROM uptime_results ORDER BY monitor_id, region, scheduled_for DESC, checked_at DESC;
"""

DOWNGRADE = """
DROP TABLE IF EXISTS monitor_region_status, uptime_region_rollups_daily,
    uptime_region_rollups_hourly;
"""


def upgrade() -> None:
    op.execute(UPGRADE)


def downgrade() -> None:
    op.execute(DOWNGRADE)
