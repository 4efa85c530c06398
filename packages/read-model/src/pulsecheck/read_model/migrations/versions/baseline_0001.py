"""Baseline read model: accounts, keys, monitors, results, rollups, alerts, positions.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

UPGRADE = """
CREATE TABLE accounts (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_keys (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    key_hash text NOT NULL UNIQUE,
    key_prefix text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz
);

-- projected from pulsecheck.monitors; version = offset on that topic (per-monitor order)
CREATE TABLE monitors (
    id uuid PRIMARY KEY,
    account_id uuid NOT NULL,
    name text NOT NULL,
    url text NOT NULL,
    spec jsonb NOT NULL,
    paused boolean NOT NULL,
    version bigint NOT NULL,
    last_event_id uuid NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    removed_at timestamptz
);
CREATE INDEX monitors_by_account ON monitors (account_id, created_at DESC, id DESC)
    WHERE removed_at IS NULL;
CREATE INDEX monitors_by_account_url ON monitors (account_id, url) WHERE removed_at IS NULL;

-- latest outcome per monitor, kept apart so results never race monitor events
CREATE TABLE monitor_status (
    monitor_id uuid PRIMARY KEY,
    account_id uuid NOT NULL,
    status text NOT NULL DEFAULT 'unknown',
    last_checked_at timestamptz,
    last_latency_ms double precision,
    last_error text,
    cert_checked_at timestamptz,
    cert_expires_at timestamptz,
    cert_valid boolean
);

CREATE TABLE uptime_results (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id uuid NOT NULL UNIQUE,
    monitor_id uuid NOT NULL,
    account_id uuid NOT NULL,
    request_id text NOT NULL,
    kind text NOT NULL,
    region text NOT NULL,
    checked_at timestamptz NOT NULL,
    scheduled_for timestamptz NOT NULL,
    outcome text NOT NULL,
    is_up boolean NOT NULL,
    status_code integer,
    latency_ms double precision,
    error_kind text,
    error text,
    final_url text,
    redirects integer NOT NULL DEFAULT 0
);
CREATE INDEX uptime_results_page ON uptime_results (monitor_id, checked_at DESC, id DESC);
CREATE INDEX uptime_results_age ON uptime_results USING brin (checked_at);

CREATE TABLE tls_results (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id uuid NOT NULL UNIQUE,
    monitor_id uuid NOT NULL,
    account_id uuid NOT NULL,
    request_id text NOT NULL,
    region text NOT NULL,
    checked_at timestamptz NOT NULL,
    is_valid boolean NOT NULL,
    valid_from timestamptz,
    valid_until timestamptz,
    days_remaining integer,
    issuer text,
    issuer_organization text,
    subject text,
    sans text[] NOT NULL DEFAULT '{}',
    serial text,
    fingerprint_sha256 text,
    chain_earliest_expiry timestamptz,
    hostname_match boolean,
    self_signed boolean,
    tls_version text,
    cipher text,
    needs_renewal boolean NOT NULL DEFAULT false,
    error_kind text,
    error text
);
CREATE INDEX tls_results_page ON tls_results (monitor_id, checked_at DESC, id DESC);
CREATE INDEX tls_results_age ON tls_results USING brin (checked_at);

-- rollups: counts and a fixed-bucket latency histogram; kept when raw results expire
CREATE TABLE uptime_rollups_hourly (
    monitor_id uuid NOT NULL,
    bucket timestamptz NOT NULL,
    account_id uuid NOT NULL,
    checks bigint NOT NULL,
    up bigint NOT NULL,
    degraded bigint NOT NULL,
    down bigint NOT NULL,
    latency_count bigint NOT NULL,
    latency_sum double precision NOT NULL,
    latency_histogram bigint[] NOT NULL,
    PRIMARY KEY (monitor_id, bucket)
);
CREATE TABLE uptime_rollups_daily (LIKE uptime_rollups_hourly INCLUDING ALL);

CREATE FUNCTION pulsecheck_add_counts(a bigint[], b bigint[]) RETURNS bigint[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(coalesce(x, 0) + coalesce(y, 0) ORDER BY i), '{}')
    FROM unnest(a, b) WITH ORDINALITY AS t(x, y, i)
$$;

CREATE TABLE incidents (
    id text PRIMARY KEY,
    monitor_id uuid NOT NULL,
    account_id uuid NOT NULL,
    kind text NOT NULL,
    state text NOT NULL CHECK (state IN ('open', 'resolved')),
    opened_at timestamptz NOT NULL,
    resolved_at timestamptz,
    duration_seconds double precision,
    cause_kind text,
    cause text,
    failing_regions text[] NOT NULL DEFAULT '{}'
);
CREATE INDEX incidents_by_account ON incidents (account_id, opened_at DESC, id DESC);
CREATE INDEX incidents_by_monitor ON incidents (monitor_id, opened_at DESC, id DESC);

CREATE TABLE notifications (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id uuid NOT NULL UNIQUE,
    delivery_key text NOT NULL,
    monitor_id uuid NOT NULL,
    account_id uuid NOT NULL,
    channel_id text NOT NULL,
    channel_kind text NOT NULL,
    trigger_event_id text NOT NULL,
    trigger_type text NOT NULL,
    attempt integer NOT NULL,
    outcome text NOT NULL CHECK (outcome IN ('sent', 'failed')),
    at timestamptz NOT NULL,
    provider_message_id text,
    error text,
    retryable boolean,
    final boolean
);
CREATE INDEX notifications_by_account ON notifications (account_id, at DESC, id DESC);

-- projected from pulsecheck.channels; target and secret are kept to re-publish a change,
-- and never returned in full
CREATE TABLE channels (
    id uuid PRIMARY KEY,
    account_id uuid NOT NULL,
    kind text NOT NULL,
    name text NOT NULL,
    target text NOT NULL,
    secret text,
    enabled boolean NOT NULL,
    event_types text[] NOT NULL DEFAULT '{}',
    version bigint NOT NULL,
    last_event_id uuid NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    removed_at timestamptz
);
CREATE INDEX channels_by_account ON channels (account_id, created_at DESC, id DESC)
    WHERE removed_at IS NULL;

-- every non-result event already applied: a replay finds its id here and changes nothing
CREATE TABLE processed_events (
    event_id uuid PRIMARY KEY,
    topic text NOT NULL,
    kafka_partition integer NOT NULL,
    kafka_offset bigint NOT NULL
);

-- where the projector is, written in the same transaction as the rows it produced
CREATE TABLE projection_positions (
    projection text NOT NULL,
    topic text NOT NULL,
    kafka_partition integer NOT NULL,
    next_offset bigint NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (projection, topic, kafka_partition)
);
"""

DOWNGRADE = """
DROP TABLE IF EXISTS projection_positions, processed_events, channels, notifications, incidents,
    uptime_rollups_daily, uptime_rollups_hourly, tls_results, uptime_results, monitor_status,
    monitors, api_keys, accounts;
DROP FUNCTION IF EXISTS pulsecheck_add_counts(bigint[], bigint[]);
"""


def upgrade() -> None:
    op.execute(UPGRADE)


def downgrade() -> None:
    op.execute(DOWNGRADE)
