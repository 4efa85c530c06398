"""DNS answers: what each region's resolver last answered for a dns:// monitor, and since when.

One row per (monitor, region), replaced by each newer result; `changed_at` moves only when the
answer (rcode or records) differs, so a user sees when a record last changed. The raw results
stay in the narrow uptime rows: answers are kept once per monitor and region, not per check.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "CREATE TABLE monitor_dns_answers ("
        " monitor_id uuid NOT NULL,"
        " region text NOT NULL,"
        " account_id uuid NOT NULL,"
        " record_type text NOT NULL,"
        " nameserver text NOT NULL,"
        " rcode text NOT NULL,"
        " answers text[] NOT NULL,"
        " ttl integer,"
        " checked_at timestamptz NOT NULL,"
        " changed_at timestamptz NOT NULL,"
        " PRIMARY KEY (monitor_id, region))"
    )


def downgrade() -> None:
    op.execute("DROP TABLE monitor_dns_answers")
