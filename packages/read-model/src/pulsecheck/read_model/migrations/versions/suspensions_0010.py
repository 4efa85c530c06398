"""Suspended accounts: an operator stops an account without deleting it.

`accounts.suspended_at` closes every door (keys, sessions, sign-in); `suspended_monitors`
remembers which monitors the suspension paused, so reinstating resumes those and leaves the
ones the account had paused itself alone.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE accounts ADD COLUMN suspended_at timestamptz")
    op.execute(
        "CREATE TABLE suspended_monitors ("
        " account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,"
        " monitor_id uuid NOT NULL,"
        " PRIMARY KEY (account_id, monitor_id))"
    )


def downgrade() -> None:
    op.execute("DROP TABLE suspended_monitors")
    op.execute("ALTER TABLE accounts DROP COLUMN suspended_at")
