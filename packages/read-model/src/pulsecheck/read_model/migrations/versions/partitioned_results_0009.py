"""Raw results partitioned by day, and uptime rows cut to 72 bytes.

At 100,000 monitors a minute the read model takes 144 M uptime results a day. Partitions by
day (UTC) let retention drop a day at once instead of deleting rows one by one; a default
partition catches a row whose day was not created ahead, and `pulsecheck_day_partition`
moves such rows out when their day is created. Rollups are not partitioned: they stay.

An uptime row keeps what the logs show, in narrow types: the monitor as a 4-byte number
(`monitor_numbers`), the region as a 2-byte number (`result_regions`), outcome, kind and
error kind as 2-byte codes (`pulsecheck.read_model.result_codes`), latency as float4, the
schedule as milliseconds before `checked_at`, and the final URL only when it differs from the
requested one ('' says "the URL asked for"). Its id is a hash of the event id
(`event_ids.result_id`); (monitor_no, checked_at, id) is both the key that makes a replay
change nothing and the index the pages are read through. The request id and event id stay on
the topic. tls_results (one row per monitor a day) keeps its columns and is partitioned too;
its new ids are hashes of the event id as well, so no sequence is shared between a table and
the rebuild's copy of it.

Downgrading restores every row, with a stand-in event id derived from the row id and an empty
request id: a rebuild from the topics gives the originals back.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

from __future__ import annotations

from alembic import op

from pulsecheck.read_model.result_codes import CHECK_KINDS, ERROR_KINDS, OUTCOMES

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def _array(words: tuple[str, ...]) -> str:
    return "ARRAY[" + ", ".join(f"'{word}'" for word in words) + "]::text[]"


PARTITION_FUNCTION = """
-- the partition of `parent` for one UTC day, created unless it exists; rows of that day that
-- fell into the default partition move into it first (ATTACH would refuse otherwise)
CREATE FUNCTION pulsecheck_day_partition(parent regclass, day date) RETURNS void
    LANGUAGE plpgsql AS $$
DECLARE
    parent_schema text;
    parent_name text;
    child text;
    low timestamptz := day::timestamp AT TIME ZONE 'UTC';
    high timestamptz := (day + 1)::timestamp AT TIME ZONE 'UTC';
    fallback regclass;
BEGIN
    SELECT n.nspname, c.relname INTO parent_schema, parent_name
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = parent;
    child := parent_name || '_p' || to_char(day, 'YYYYMMDD');
    IF to_regclass(format('%I.%I', parent_schema, child)) IS NOT NULL THEN
        RETURN;
    END IF;
    -- two writers creating the same day: the second waits, then finds it
    PERFORM pg_advisory_xact_lock(hashtext(parent_schema || '.' || child));
    IF to_regclass(format('%I.%I', parent_schema, child)) IS NOT NULL THEN
        RETURN;
    END IF;
    EXECUTE format('CREATE TABLE %I.%I (LIKE %s INCLUDING DEFAULTS INCLUDING CONSTRAINTS)',
                   parent_schema, child, parent);
    fallback := to_regclass(format('%I.%I', parent_schema, parent_name || '_default'));
    IF fallback IS NOT NULL THEN
        EXECUTE format('WITH moved AS (DELETE FROM %s WHERE checked_at >= %L AND checked_at < %L'
                       ' RETURNING *) INSERT INTO %I.%I SELECT * FROM moved',
                       fallback, low, high, parent_schema, child);
    END IF;
    EXECUTE format('ALTER TABLE %s ATTACH PARTITION %I.%I FOR VALUES FROM (%L) TO (%L)',
                   parent, parent_schema, child, low, high);
END
$$;
"""

UPGRADE = f"""
-- a monitor's number in result rows: 4 bytes a row instead of two 16-byte UUIDs
CREATE TABLE monitor_numbers (
    monitor_id uuid PRIMARY KEY,
    account_id uuid NOT NULL,
    monitor_no integer GENERATED ALWAYS AS IDENTITY UNIQUE
);
CREATE TABLE result_regions (
    region text PRIMARY KEY,
    region_no smallint GENERATED ALWAYS AS IDENTITY UNIQUE
);

-- columns by alignment (8, 4, 2 bytes, then text): no padding inside the row
CREATE TABLE uptime_result_rows (
    id bigint NOT NULL,
    checked_at timestamptz NOT NULL,
    monitor_no integer NOT NULL,
    latency_ms real,
    lead_ms integer NOT NULL,
    status_code smallint,
    region_no smallint NOT NULL,
    outcome smallint NOT NULL,
    kind smallint NOT NULL,
    error_kind smallint,
    redirects smallint NOT NULL,
    error text,
    final_url text,
    PRIMARY KEY (monitor_no, checked_at, id)
) PARTITION BY RANGE (checked_at);
CREATE TABLE uptime_result_rows_default PARTITION OF uptime_result_rows DEFAULT;

ALTER TABLE tls_results RENAME TO tls_results_unpartitioned;
CREATE TABLE tls_results (
    id bigint NOT NULL,
    event_id uuid NOT NULL,
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
    sans text[] NOT NULL DEFAULT '{{}}',
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
) PARTITION BY RANGE (checked_at);
CREATE TABLE tls_results_default PARTITION OF tls_results DEFAULT;

{PARTITION_FUNCTION}

-- existing rows: numbers for their monitors and regions, a partition for each of their days
INSERT INTO monitor_numbers (monitor_id, account_id)
SELECT DISTINCT ON (monitor_id) monitor_id, account_id FROM uptime_results ORDER BY monitor_id;
INSERT INTO result_regions (region) SELECT DISTINCT region FROM uptime_results ORDER BY 1;
SELECT pulsecheck_day_partition('uptime_result_rows', day)
FROM (SELECT DISTINCT (checked_at AT TIME ZONE 'UTC')::date AS day FROM uptime_results) days;
SELECT pulsecheck_day_partition('tls_results', day)
FROM (SELECT DISTINCT (checked_at AT TIME ZONE 'UTC')::date AS day
      FROM tls_results_unpartitioned) days;

INSERT INTO uptime_result_rows
SELECT u.id, u.checked_at, n.monitor_no, u.latency_ms,
       least(greatest(round(extract(epoch FROM u.checked_at - u.scheduled_for) * 1000),
                      -2147483648), 2147483647),
       u.status_code, g.region_no, array_position({_array(OUTCOMES)}, u.outcome),
       array_position({_array(CHECK_KINDS)}, u.kind),
       array_position({_array(ERROR_KINDS)}, u.error_kind), u.redirects, u.error,
       CASE WHEN u.kind = 'http' AND u.redirects = 0 AND u.final_url IS NOT NULL THEN ''
            ELSE u.final_url END
FROM uptime_results u
JOIN monitor_numbers n ON n.monitor_id = u.monitor_id
JOIN result_regions g ON g.region = u.region;
DROP TABLE uptime_results;

-- the rows in their readable shape, for people and ad-hoc SQL; the read routes use the
-- narrow table and its index directly
CREATE VIEW uptime_results AS
SELECT r.id, n.monitor_id, n.account_id, ({_array(CHECK_KINDS)})[r.kind] AS kind,
       g.region, r.checked_at, r.checked_at - r.lead_ms * interval '1 millisecond' AS scheduled_for,
       ({_array(OUTCOMES)})[r.outcome] AS outcome,
       r.outcome <> array_position({_array(OUTCOMES)}, 'down') AS is_up, r.status_code,
       r.latency_ms, ({_array(ERROR_KINDS)})[r.error_kind] AS error_kind, r.error,
       CASE WHEN r.final_url = '' THEN m.url ELSE r.final_url END AS final_url, r.redirects
FROM uptime_result_rows r
JOIN monitor_numbers n ON n.monitor_no = r.monitor_no
JOIN result_regions g ON g.region_no = r.region_no
LEFT JOIN monitors m ON m.id = n.monitor_id;

INSERT INTO tls_results SELECT * FROM tls_results_unpartitioned;
DROP TABLE tls_results_unpartitioned;
ALTER TABLE tls_results ADD PRIMARY KEY (id, checked_at);
ALTER TABLE tls_results ADD UNIQUE (event_id, checked_at);
CREATE INDEX tls_results_page ON tls_results (monitor_id, checked_at DESC, id DESC);
"""

DOWNGRADE = f"""
DROP VIEW uptime_results;
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
INSERT INTO uptime_results OVERRIDING SYSTEM VALUE
SELECT r.id, md5(r.id::text)::uuid, n.monitor_id, n.account_id, '',
       ({_array(CHECK_KINDS)})[r.kind], g.region, r.checked_at,
       r.checked_at - r.lead_ms * interval '1 millisecond', ({_array(OUTCOMES)})[r.outcome],
       r.outcome <> array_position({_array(OUTCOMES)}, 'down'), r.status_code, r.latency_ms,
       ({_array(ERROR_KINDS)})[r.error_kind], r.error,
       CASE WHEN r.final_url = '' THEN m.url ELSE r.final_url END, r.redirects
FROM uptime_result_rows r
JOIN monitor_numbers n ON n.monitor_no = r.monitor_no
JOIN result_regions g ON g.region_no = r.region_no
LEFT JOIN monitors m ON m.id = n.monitor_id;
SELECT setval(pg_get_serial_sequence('uptime_results', 'id'), coalesce(max(id), 0) + 1, false)
FROM uptime_results;
CREATE INDEX uptime_results_page ON uptime_results (monitor_id, checked_at DESC, id DESC);
CREATE INDEX uptime_results_age ON uptime_results USING brin (checked_at);

CREATE TABLE tls_results_unpartitioned (
    LIKE tls_results INCLUDING DEFAULTS,
    PRIMARY KEY (id),
    UNIQUE (event_id)
);
INSERT INTO tls_results_unpartitioned SELECT * FROM tls_results;
DROP TABLE tls_results, uptime_result_rows, result_regions, monitor_numbers;
DROP FUNCTION pulsecheck_day_partition(regclass, date);
ALTER TABLE tls_results_unpartitioned RENAME TO tls_results;
ALTER TABLE tls_results ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY;
SELECT setval(pg_get_serial_sequence('tls_results', 'id'), coalesce(max(id), 0) + 1, false)
FROM tls_results;
CREATE INDEX tls_results_page ON tls_results (monitor_id, checked_at DESC, id DESC);
CREATE INDEX tls_results_age ON tls_results USING brin (checked_at);
"""


def upgrade() -> None:
    op.execute(UPGRADE)


def downgrade() -> None:
    op.execute(DOWNGRADE)
