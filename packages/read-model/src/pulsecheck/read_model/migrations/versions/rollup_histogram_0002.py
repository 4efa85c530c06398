"""Rollups counted inside PostgreSQL, cheaply: the `pulsecheck_histogram` aggregate, a
procedural `pulsecheck_add_counts`, and room on the pages of the tables updated in place.

The projector moves a batch of results and rolls them up in one statement; counting
histogram slots in SQL spares it fetching every inserted row back into Python. Merging
two histograms in PL/pgSQL costs a third of the set-returning SQL version, and a fill
factor of 70 lets rollup and status updates stay on their page (HOT: no index write).

Revision ID: 0002
Revises: 0001
Create Date: 2025-01-02
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

UPGRADE = """
-- one more sample in `slot` (0-based; NULL counts nothing) of a histogram of `buckets` slots
CREATE FUNCTION pulsecheck_count_slot(counts bigint[], slot integer, buckets integer)
    RETURNS bigint[] LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    IF counts IS NULL THEN
        counts := array_fill(0::bigint, ARRAY[buckets]);
    END IF;
    IF slot IS NOT NULL THEN
        counts[slot + 1] := counts[slot + 1] + 1;
    END IF;
    RETURN counts;
END
$$;

CREATE AGGREGATE pulsecheck_histogram(integer, integer) (
    SFUNC = pulsecheck_count_slot,
    STYPE = bigint[]
);

-- element-wise a + b; the longer array's extra counts are kept
CREATE OR REPLACE FUNCTION pulsecheck_add_counts(a bigint[], b bigint[])
    RETURNS bigint[] LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    IF b IS NULL THEN
        RETURN coalesce(a, '{}');
    END IF;
    a := coalesce(a, '{}');
    FOR i IN 1..cardinality(b) LOOP
        a[i] := coalesce(a[i], 0) + coalesce(b[i], 0);
    END LOOP;
    RETURN a;
END
$$;

ALTER TABLE uptime_rollups_hourly SET (fillfactor = 70);
ALTER TABLE uptime_rollups_daily SET (fillfactor = 70);
ALTER TABLE monitor_status SET (fillfactor = 70);
"""

DOWNGRADE = """
ALTER TABLE uptime_rollups_hourly RESET (fillfactor);
ALTER TABLE uptime_rollups_daily RESET (fillfactor);
ALTER TABLE monitor_status RESET (fillfactor);
CREATE OR REPLACE FUNCTION pulsecheck_add_counts(a bigint[], b bigint[]) RETURNS bigint[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(coalesce(x, 0) + coalesce(y, 0) ORDER BY i), '{}')
    FROM unnest(a, b) WITH ORDINALITY AS t(x, y, i)
$$;
DROP AGGREGATE IF EXISTS pulsecheck_histogram(integer, integer);
DROP FUNCTION IF EXISTS pulsecheck_count_slot(bigint[], integer, integer);
"""


def upgrade() -> None:
    op.execute(UPGRADE)


def downgrade() -> None:
    op.execute(DOWNGRADE)
